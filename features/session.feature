@session
Feature: Sessions carry across turns
  Alexa sends back the sessionAttributes the skill returned, until the skill
  ends the session or the user leaves.

  @smoke
  Scenario: Session attributes count the turns
    When the user opens the skill
    Then Alexa says "Welcome to Example Skill. You can ask for your email, your name, or your account."
    And Alexa reprompts "What would you like?"
    And the session attribute "turns" is 1
    And the session stays open
    When the user invokes "AMAZON.HelpIntent"
    Then the session attribute "turns" is 2
    When the user invokes "AMAZON.StopIntent"
    Then Alexa says "Goodbye!"
    And the session ends

  Scenario: A new session starts counting afresh
    When the user opens the skill
    And the user invokes "AMAZON.StopIntent"
    Then the session ends
    When the user opens the skill
    Then the session attribute "turns" is 1

  Scenario: The user leaves and the skill answers without speech
    When the user opens the skill
    And the user ends the session
    Then Alexa says nothing
    And the session ends
