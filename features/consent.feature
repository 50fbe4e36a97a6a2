@consent
Feature: Reading the user's profile depends on what the user consented to
  The skill reads the user's name and email through the Customer Profile API
  with the apiAccessToken Alexa sends. The API answers only for the scopes the
  user granted in the Alexa app, and refuses the rest with 403, which the skill
  must turn into a consent card.

  @smoke
  Scenario: With no consent, the skill asks for permission instead of reading the email
    Given the consent scenario "none"
    When the user invokes "GetEmailIntent"
    Then the profile API refused the skill's request for the email
    And the response asks for the "alexa::profile:email:read" permission
    And Alexa says something containing "I need your permission to read your email"
    And the session ends

  Scenario: Consent to the name lets the skill read the name but not the email
    Given the consent scenario "name"
    When the user invokes "GetNameIntent"
    Then Alexa says "Your name is Jane Doe."
    And the skill read the user's name from the profile API
    And the response has no card
    When the user invokes "GetEmailIntent"
    Then the profile API refused the skill's request for the email
    And the response asks for the "email" permission

  Scenario: Consent to the email lets the skill read the email
    Given the consent scenario "email"
    When the user invokes "GetEmailIntent"
    Then Alexa says "Your email is jane@example.com."
    And the skill read the user's email from the profile API
    And the session stays open
    When the user invokes "GetNameIntent"
    Then the profile API refused the skill's request for the name

  Scenario: Email consent with a linked account reads both the profile and the account
    Given the consent scenario "email+linked"
    When the user invokes "GetEmailIntent"
    Then Alexa says "Your email is jane@example.com."
    When the user invokes "AccountIntent"
    Then Alexa says "You are linked as Alice Example. Your email there is alice@example.com."
    And the response has no card

  Scenario Outline: Each scenario grants exactly its scopes
    Given the consent scenario "<scenario>"
    When the user invokes "<intent>"
    Then Alexa says something matching "<speech>"

    Examples:
      | scenario     | intent         | speech                              |
      | none         | GetNameIntent  | ^I need your permission             |
      | name         | GetNameIntent  | ^Your name is Jane Doe\.$           |
      | email        | GetNameIntent  | ^I need your permission             |
      | email        | GetEmailIntent | ^Your email is jane@example\.com\.$ |
      | email+linked | GetNameIntent  | ^I need your permission             |
