@slots
Feature: Slots
  Intents carry the slot values the user spoke.

  @smoke
  Scenario: An order with both slots filled
    When the user invokes "OrderIntent" with:
      | slot     | value  |
      | item     | coffee |
      | quantity | 2      |
    Then Alexa says "Ordering 2 coffees."
    And Alexa reprompts "Would you like anything else?"

  Scenario: A missing slot is asked for
    When the user invokes "OrderIntent" with:
      | item | tea |
    Then the response has a "Dialog.ElicitSlot" directive
    And the response at "response.directives.0.slotToElicit" is "quantity"
    And Alexa says "How many teas would you like?"
    And the session stays open
