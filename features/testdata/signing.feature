Feature: The skill verifies Alexa's request signatures
  A skill hosted as a web service must check every request's signature,
  certificate URL and timestamp, and refuse the requests that fail
  (docs/alexa-contract.md §7.1). These scenarios run against a skill
  behind a verifier configured to trust asksim's signing chain.

  Scenario: A correctly signed request is answered
    Given requests are signed
    When the user opens the skill
    Then Alexa says something containing "Welcome"

  Scenario: An unsigned request is refused
    Given requests are not signed
    When the user opens the skill
    Then the skill refuses the request

  Scenario: A tampered body is refused
    Given requests are signed with a tampered body
    When the user opens the skill
    Then the skill refuses the request

  Scenario: A stale timestamp is refused
    Given requests are signed with a stale timestamp
    When the user opens the skill
    Then the skill refuses the request

  Scenario Outline: A certificate URL outside Amazon's rules is refused
    Given requests are signed with a certificate URL that breaks the "<rule>" rule
    When the user opens the skill
    Then the skill refuses the request

    Examples:
      | rule           |
      | scheme         |
      | host           |
      | port           |
      | path           |
      | path-case      |
      | path-traversal |

  Scenario: The skill answers again once requests are signed correctly
    Given requests are signed with a tampered body
    When the user opens the skill
    Then the skill refuses the request
    Given requests are signed
    When the user invokes "GetEmailIntent"
    Then Alexa says something containing "permission"
