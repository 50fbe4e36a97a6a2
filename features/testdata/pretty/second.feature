Feature: A second feature
  Scenario: One more
    When the user opens the skill
    Then Alexa says something containing "Welcome"
