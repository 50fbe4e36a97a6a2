@permissions
Feature: Asking for permissions
  A skill asks for a permission it lacks either with a consent card in the
  Alexa app or by voice, with a Connections.SendRequest that Alexa answers
  with a Connections.Response once the user said yes or no.

  @smoke
  Scenario: A consent card names the scope the skill needs
    Given the user has granted no permissions
    When the user invokes "GetNameIntent"
    Then the response has a "AskForPermissionsConsent" card
    And the response at "response.card.permissions" is ["alexa::profile:name:read"]

  Scenario: Granting the permission afterwards lets the skill read it
    Given the user has granted no permissions
    When the user invokes "GetEmailIntent"
    Then the response asks for the "email" permission
    Given the user has granted the "email" permission
    When the user invokes "GetEmailIntent"
    Then Alexa says "Your email is jane@example.com."

  Scenario: The user accepts a voice permission request
    When the user opens the skill
    And the user invokes "AskForNameIntent"
    Then the response has a "Connections.SendRequest" directive
    And the response asks for the "name" permission
    And Alexa says nothing
    When the user accepts the permission request
    Then Alexa says "Thanks. Your name is Jane Doe."
    And the skill read the user's name from the profile API

  Scenario: The user denies a voice permission request
    When the user invokes "AskForNameIntent"
    And the user denies the permission request
    Then Alexa says "Okay, I won't use your name."
    And the skill did not call the profile API
