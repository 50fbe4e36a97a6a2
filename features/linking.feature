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

  # The provider's API: the OAuth fake serves GET /v1/me/playlists, needing
  # the scope playlist-read-private, as Spotify's API sits beside its OAuth.

  Scenario: The skill reads the user's playlists with the linked token
    Given the user has linked their account
    When the user says "ask example skill to read my playlists"
    Then Alexa says "You have 2 playlists: Morning Run and Deep Focus."
    And the skill called "GET /v1/me/playlists" and got 200

  Scenario: The API answers what the scenario needs
    Given the user has linked their account as "bob"
    And the API "GET /v1/me/playlists" answers for "bob":
      """
      {"items": [{"name": "Road Trip"}, {"name": "Sunday Jazz"}, {"name": "{user}'s Mix"}]}
      """
    When the user invokes "PlaylistsIntent"
    Then Alexa says "You have 3 playlists: Road Trip, Sunday Jazz and bob's Mix."

  Scenario: An expired token is refused, and the skill asks the user to link again
    Given the user has linked their account
    And the user's linked token has expired
    When the user invokes "PlaylistsIntent"
    Then the skill called "GET /v1/me/playlists" and got 401
    And the response has a LinkAccount card
    And Alexa says something containing "link your account again"

  Scenario: A revoked token is refused the same way
    Given the user has linked their account
    And the user's linked token has been revoked
    When the user invokes "PlaylistsIntent"
    Then the skill called "GET /v1/me/playlists" and got 401
    And the response has a LinkAccount card

  Scenario: When Alexa cannot refresh, the request carries no token
    Given the user has linked their account
    And the user's linked token has expired and cannot be refreshed
    When the user invokes "PlaylistsIntent"
    Then the skill did not call the API
    And the response has a LinkAccount card
    And the response at "response.card.type" is "LinkAccount"

  Scenario: A grant without the scope the API needs
    Given the user has linked their account with only the "profile, user-read-email" scopes
    When the user invokes "PlaylistsIntent"
    Then the skill called "GET /v1/me/playlists" and got 403
    And Alexa says something containing "allow access to your playlists"

  Scenario: The API is down
    Given the user has linked their account
    And the API "GET /v1/me/playlists" fails with status 503
    When the user invokes "PlaylistsIntent"
    Then the skill called "GET /v1/me/playlists" and got 503
    And Alexa says "Sorry, I couldn't reach your playlists right now. Please try again later."
    And the session stays open

  Scenario: An unlinked user is not looked up
    Given the user's account is not linked
    When the user invokes "PlaylistsIntent"
    Then the skill did not call the API
    And the response has a LinkAccount card
