@voice
Feature: Speaking to the skill
  What the user says is resolved against the skill's own interaction model
  (fixtures/skill/skill-package), as Alexa does, and Alexa runs the dialog
  model where the skill leaves the conversation to it.

  @smoke
  Scenario: Opening the skill by its invocation name
    When the user says "open example skill"
    Then Alexa says "Welcome to Example Skill. You can ask for your email, your name, or your account."
    And the session stays open

  Scenario: Asking the skill in one go
    Given the consent scenario "email"
    When the user says "ask example skill what's my email"
    Then the skill received "GetEmailIntent"
    And Alexa says "Your email is jane@example.com."

  Scenario: Alexa fills the order's slots from the dialog model, then confirms
    When the user says "open example skill"
    And the user says "i want to order something"
    Then Alexa asks for the "item" slot
    When the user says "a latte"
    Then Alexa asks for the "quantity" slot
    When the user says "three"
    Then Alexa asks to confirm the intent
    When the user says "yes"
    Then the skill received "OrderIntent" with dialog state "COMPLETED"
    And the slot "item" resolved to "latte"
    And the slot "quantity" is "3"
    And Alexa says "Ordering 3 lattes."

  Scenario: Everything in one sentence
    When the user says "order two coffees"
    Then Alexa asks to confirm the intent
    When the user says "yes"
    Then Alexa says "Ordering 2 coffees."
    And the slot "item" resolved to "coffee"

  Scenario: Saying no to the confirmation
    When the user says "order two teas"
    And the user says "no"
    Then the skill received "OrderIntent" with dialog state "COMPLETED"
    And Alexa says "Okay, I won't place that order."

  Scenario: Built-in intents
    When the user says "open example skill"
    And the user says "help"
    Then the skill received "AMAZON.HelpIntent"
    When the user says "stop"
    Then Alexa says "Goodbye!"
    And the session ends
