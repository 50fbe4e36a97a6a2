@linking
Feature: Account linking
  The user links their account in the Alexa app through the skill's OAuth
  server (here asksim's OAuth fake). Alexa then sends the access token in
  every request, and the skill calls the server's /userinfo with it.

  @smoke
  Scenario: An unlinked user is sent to the Alexa app with a LinkAccount card
    Given the user's account is not linked
    When the user invokes "AccountIntent"
    Then the response has a LinkAccount card
    And the response at "response.card" is {"type": "LinkAccount"}
    And Alexa says something containing "link your account"
    And the session ends

  Scenario: A linked user is recognised
    Given the user has linked their account
    When the user invokes "AccountIntent"
    Then Alexa says "You are linked as Alice Example. Your email there is alice@example.com."
    And the session stays open

  Scenario: Linking as another user
    Given the user has linked their account as "bob"
    When the user invokes "AccountIntent"
    Then Alexa says "You are linked as Bob Example."

  Scenario: Unlinking takes the token away again
    Given the user has linked their account
    And the user's account is not linked
    When the user invokes "AccountIntent"
    Then the response has a LinkAccount card
