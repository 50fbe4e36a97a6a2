@shapes
Feature: Every shape the pretty formatter prints
  A description over
    two lines, one indented.

  Background:
    Given the consent scenario "email"

  Scenario: Background, then a table
    Given the user's profile:
      | name  | Maria Muster       |
      | email | maria@example.test |
    When the user invokes "GetEmailIntent"
    Then Alexa says "Your email is maria@example.test."

  @fails
  Scenario: A failure, and the steps it skips
    When the user opens the skill
    Then Alexa says "Not what the skill says"
    When the user invokes "GetEmailIntent"
    Then Alexa says "Your email is jane@example.com."

  Scenario Outline: Orders of <item>
    When the user invokes "OrderIntent" with:
      | slot     | value      |
      | item     | <item>     |
      | quantity | <quantity> |
    Then Alexa says "<answer>"

    Examples: Hot
      | item   | quantity | answer              |
      | coffee | 2        | Ordering 2 coffees. |
      | tea    | 1        | Ordering 1 tea.     |

    @fails
    Examples: Wrong
      | item  | quantity | answer  |
      | water | 3        | No way. |

  Scenario: Nothing to do yet

  Rule: Linked users
    Background:
      Given the user has linked their account

    Scenario: The first scenario of a rule prints the rule's background
      When the user invokes "GetEmailIntent"
      Then Alexa says something containing "email"

    Scenario: The second does not
      When the user opens the skill
      Then Alexa says something containing "Welcome"
