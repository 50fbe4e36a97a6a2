@profile
Feature: The user's own profile data
  The Alexa API fake answers with the profile the scenario gives the user;
  a value set to null means the user has none, and the API answers 204.

  @smoke
  Scenario: A profile of the scenario's own
    Given the consent scenario "email"
    And the user's profile:
      | name  | Maria Muster       |
      | email | maria@example.test |
    When the user invokes "GetEmailIntent"
    Then Alexa says "Your email is maria@example.test."

  Scenario: A user without an email address
    Given the consent scenario "email"
    And the user's profile:
      | email | null |
    When the user invokes "GetEmailIntent"
    Then Alexa says "You have not set an email address."
    And the skill read the user's email from the profile API
