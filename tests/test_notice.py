"""Tests for poalint.notice: parsing pasted Amazon notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from poalint.notice import Notice, NoticeError, NoticeItem, ReasonHit, parse_notice, read_notice

NOTICES = Path(__file__).parent / "notices"

# Notice vocabulary per reason, after domain-notes section 3 (the real data comes from the reason packs).
VOCAB: dict[str, list[str]] = {
    "late-shipment": ["late shipment rate", "late dispatch rate", "performance target of less than 4%",
                      "expected ship date", "confirm your shipments", "resolve all outstanding orders"],
    "pre-fulfillment-cancellation": ["cancellation rate", "pre-fulfillment cancel rate", "the target is 2.5%",
                                     "higher than expected cancellations"],
    "valid-tracking": ["valid tracking rate", "valid tracking number"],
    "order-defect-rate": ["order defect rate", "A-to-z Guarantee claims", "negative feedback",
                          "chargeback disputes", "buyers are not receiving their orders",
                          "buyers are receiving items in a different condition than they ordered"],
    "premium-shipping": ["premium shipping options", "premium delivery options", "premium shipping eligibility tool",
                         "premium shipping", "on-time delivery", "valid tracking rate of a 100%",
                         "cancellation rate of 0.5%"],
    "not-as-described": ["did not accurately match the condition or description", "product detail page rules",
                         "not as described"],
    "item-condition": ["used sold as new", "product condition", "condition guidelines",
                       "brand new, unopened condition with no signs of damage or wear"],
    "inauthentic": ["authenticity", "inauthentic", "counterfeit", "anti-counterfeiting policy",
                    "invoices or receipts ... issued in the last 365 days", "contact information for your supplier",
                    "we may call the provider to verify the documents"],
    "intellectual-property": ["report from a rights owner", "trademark", "copyright", "patent", "infringement type",
                              "trademark number", "complaint id", "notice-retraction@amazon.com",
                              "received intellectual property complaints"],
    "restricted-products": ["restricted products policy", "not permitted for sale",
                            "this product type is currently restricted"],
    "product-safety": ["product safety issue", "product recall", "market withdrawal", "safety", "cpsc",
                       "children's product certificate"],
    "review-manipulation": ["manipulated customer reviews", "community guidelines", "review abuse"],
    "related-accounts": ["related to another selling account", "not allowed to establish new accounts",
                         "associated with a deactivated store", "multiple account policy"],
}


def load(name: str) -> Notice:
    return read_notice(str(NOTICES / name), VOCAB)


def reasons(notice: Notice) -> list[str]:
    return [hit.reason for hit in notice.reasons]


def requests(*pairs: tuple[int, str]) -> tuple[NoticeItem, ...]:
    return tuple(NoticeItem(text, line, "request") for line, text in pairs)


def test_modern_late_shipment() -> None:
    n = load("late_shipment_modern.txt")
    assert n.kind == "notice"
    assert n.path.endswith("late_shipment_modern.txt")
    assert n.reasons == (ReasonHit("late-shipment", "Late Shipment Rate", 11),)
    assert n.asins == ("B0FQ7LX2M4", "B0FQ7LX9R1")  # the lower-case repeat is folded in
    assert n.items == requests(
        (21, "The root cause(s) of the late shipments"),
        (22, "The actions you have taken to confirm your shipments on time and resolve all outstanding orders"),
        (24, "The steps you will take to prevent late shipments in the future"),
    )


def test_old_format() -> None:
    n = load("old_format.txt")
    assert (n.kind, reasons(n)) == ("notice", ["late-shipment"])
    assert n.reasons[0] == ReasonHit("late-shipment", "late dispatch rate", 5)
    assert n.asins == ()
    assert n.items == requests(
        (9, "the root cause of the late dispatches"),
        (10, "the actions you have taken to resolve them"),
        (11, "the steps you will take to prevent them from happening again"),
    )


def test_rejection_greater_detail() -> None:
    n = load("rejection_inauthentic.txt")
    assert n.kind == "rejection"
    assert n.reasons == (ReasonHit("inauthentic", "inauthentic", 11),)
    assert n.asins == ("B0HK4TT6W2",)
    assert n.items == requests(
        (11, "The root cause(s) that led to the inauthentic complaints"),
        (12, "The actions you have taken to resolve the issue(s)"),
        (13, "The steps you have taken to prevent the issue(s) from happening again"),
        (14, "Evidence or examples that demonstrate that your account has complied with our "
             "Anti-Counterfeiting Policy"),
    )


def test_premium_shipping_limited() -> None:
    n = load("premium_limited.txt")
    # The Subject line carries the reason; the sender address "premium-shipping@..." does not count.
    assert n.reasons == (ReasonHit("premium-shipping", "Premium Shipping", 2),)
    assert n.asins == ()
    assert n.items == requests(
        (16, "The root cause of the late premium deliveries"),
        (17, "The changes you have made to your carrier services and collection times"),
        (18, "How you will meet the On-Time Delivery requirement within a defined time period"),
    )


def test_odr_sub_issues_and_numbered_requests() -> None:
    n = load("odr_sub_issues.txt")
    assert reasons(n) == ["order-defect-rate"]
    assert n.reasons[0] == ReasonHit("order-defect-rate", "order defect rate", 7)
    assert n.asins == ("B0JT1NS8V5",)
    assert n.items == (
        NoticeItem("Buyers are not receiving their orders", 12, "issue"),
        NoticeItem("Buyers are receiving items in a different condition than they ordered", 13, "issue"),
        *requests(
            (19, "The root cause of each issue listed above"),
            (20, "The corrective actions you have taken"),
            (21, "The preventive measures you have put in place"),
        ),
    )


def test_several_reasons_best_first() -> None:
    n = load("multi_reason.txt")
    assert n.reasons == (
        ReasonHit("review-manipulation", "manipulated customer reviews", 11),
        ReasonHit("related-accounts", "related to another selling account", 12),
    )
    assert n.asins == ("B0MR2QF7K3", "B0MR2QF8D1")
    assert [item.line for item in n.items] == [19, 20, 21]


def test_masked_forum_paste() -> None:
    n = load("masked_forum_paste.txt")
    assert n.kind == "notice"
    assert n.reasons[0] == ReasonHit("pre-fulfillment-cancellation", "Pre fulfillment Cancel Rate", 9)
    assert n.asins == ("B0NC7D5UZ6",)  # "B0***" and "B0QW*****" are masked, not ASINs
    assert n.items == requests(
        (20, "Why your cancellation rate went above the target"),
        (21, "What you have done to keep your inventory in sync"),
    )


def test_ip_complaint_item_list() -> None:
    n = load("ip_trademark.txt")
    assert reasons(n) == ["intellectual-property"]  # "Safety Helmet" in a Title line is not a safety reason
    assert n.reasons[0] == ReasonHit("intellectual-property", "Received Intellectual Property Complaints", 2)
    # An ISBN-10 counts on an ASIN line; the 10-digit trademark number does not.
    assert n.asins == ("B0RZ6KA3T8", "0306406152")
    assert n.items == requests(
        (14, "How the listings came to use the rights owner's trademark"),
        (15, "What you have changed so that this does not happen again"),
    )


def test_product_safety_seven_days() -> None:
    n = load("product_safety_seven_days.txt")
    assert n.reasons[0] == ReasonHit("product-safety", "Product Safety Issue", 1)
    assert n.asins == ("B0TL5PE9W2",)
    assert n.items == requests(
        (12, "A root cause analysis of the overheating"),
        (13, "Test reports from an accredited laboratory for the current batch"),
        (14, "Photos of all 6 sides of the product and its packaging"),
    )


def test_item_condition_numbered_bullets() -> None:
    n = load("item_condition_numbered.txt")
    assert n.reasons == (ReasonHit("item-condition", "Used Sold as New", 3),)  # wrapped in the file
    assert n.items == requests(
        (11, "How returned units were graded before they were sold again"),
        (12, "The changes to your inspection at receiving and dispatch"),
        (13, "Invoices for the affected units"),
    )


def test_restricted_products_em_dash_wrapped_bullet() -> None:
    n = load("restricted_products.txt")
    assert n.reasons[0] == ReasonHit("restricted-products", "this product type is currently restricted", 3)
    assert n.items == requests(
        (10, "A list of the claims you removed from the detail page, with the date of each change"),
        (12, "Documentation showing that the product may be sold on Amazon"),
    )


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("poa_letter.txt", "plan of action"),
        ("recipe.txt", "does not look like an Amazon notice"),
        ("empty.txt", "is empty"),
    ],
)
def test_not_a_notice(name: str, why: str) -> None:
    with pytest.raises(NoticeError, match=why) as info:
        load(name)
    assert "\n" not in str(info.value)


# --- parse_notice on short texts -------------------------------------------------------------------------------

HEAD = "Hello,\n\nWe have deactivated your selling account.\n\nWhy is this happening?\n\n"


def test_hyphen_space_and_wrap_variants() -> None:
    text = HEAD + "Your ODR includes A to z Guarantee\nclaims and pre fulfillment cancel rate problems.\n"
    n = parse_notice(text, VOCAB)
    assert n.reasons == (
        ReasonHit("order-defect-rate", "A to z Guarantee claims", 7),
        ReasonHit("pre-fulfillment-cancellation", "pre fulfillment cancel rate", 8),
    )
    assert n.path == "<notice>"


def test_ranking_by_hits_then_first_position() -> None:
    text = HEAD + "Valid tracking rate is low.\nYour late shipment rate is 9%.\nLate shipment rate target: 4%.\n"
    assert reasons(parse_notice(text, VOCAB)) == ["late-shipment", "valid-tracking"]


def test_longest_phrase_wins_where_phrases_overlap() -> None:
    vocab = {"premium-shipping": ["restricted"], "restricted-products": ["restricted products policy"]}
    n = parse_notice(HEAD + "This breaks our Restricted Products policy.\n", vocab)
    assert reasons(n) == ["restricted-products"]


def test_curly_apostrophe_and_crlf() -> None:
    text = (HEAD + "Send a Children\u2019s Product Certificate.\n").replace("\n", "\r\n")
    n = parse_notice(text, VOCAB)
    assert n.reasons == (ReasonHit("product-safety", "Children\u2019s Product Certificate", 7),)


def test_issue_bullets_without_trigger_and_no_vocabulary() -> None:
    text = HEAD + "\u2022 Buyers are not receiving their orders\n\u2022 Some other remark\n"
    n = parse_notice(text, {})
    assert n.reasons == ()
    assert n.items == (NoticeItem("Buyers are not receiving their orders", 7, "issue"),)


def test_uk_spelling_matches_us_vocabulary() -> None:
    n = parse_notice(HEAD + "Your Pre-fulfilment Cancel Rate is 5%.\n", VOCAB)
    assert n.reasons == (ReasonHit("pre-fulfillment-cancellation", "Pre-fulfilment Cancel Rate", 7),)


def test_order_list_after_include_is_not_a_request() -> None:
    text = HEAD + ("Orders with defects include:\n\n113-2075846-9930417 (late)\n111-6649302-1185730\n\n"
                   "Your plan should include:\n\n-- The root cause\n-- Orders 113-2075846-9930417 and 1 other\n")
    n = parse_notice(text, VOCAB)
    assert n.items == requests((14, "The root cause"), (15, "Orders 113-2075846-9930417 and 1 other"))


def test_time_inside_a_buyer_complaint_stays_in_the_item() -> None:
    text = HEAD + "-- Buyers are not receiving replies within 24 hours\n\nReply within 72 hours.\n"
    n = parse_notice(text, VOCAB)
    assert n.items == (NoticeItem("Buyers are not receiving replies within 24 hours", 7, "issue"),)


def test_forum_preface_in_first_person_is_still_a_notice() -> None:
    preface = "We got this today. We have checked our orders and our team says we did nothing wrong. We are lost.\n\n"
    n = parse_notice(preface + HEAD + "How do I reactivate my account?\n\nSeller Performance Team\n", VOCAB)
    assert n.kind == "notice"


def test_poa_without_amazon_headings_is_rejected() -> None:
    text = ("Dear Seller Performance Team,\n\nOur late shipment rate rose because we understaffed. We have hired "
            "staff and we check every order. Please reinstate our selling privileges.\n")
    with pytest.raises(NoticeError, match="plan of action"):
        parse_notice(text, VOCAB)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t\n", "Nice weather today.", "Amazon changed its return policy and removed old ASIN pages."],
)
def test_parse_notice_rejects_non_notices(text: str) -> None:
    with pytest.raises(NoticeError):
        parse_notice(text, VOCAB)


# --- read_notice: files ---------------------------------------------------------------------------------------

NOTICE_TEXT = HEAD + "Your late shipment rate is 8% \u2013 see the Late Shipment Rate policy.\nASIN: B0AB12CD34\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes(NOTICE_TEXT.encode(encoding))
    n = read_notice(str(path), VOCAB)
    assert n.reasons == (ReasonHit("late-shipment", "late shipment rate", 7),)
    assert n.asins == ("B0AB12CD34",)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (None, "does not exist"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
        (b"", "empty"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes | None, why: str) -> None:
    path = tmp_path / "notice.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(NoticeError, match=why) as info:
        read_notice(str(path), VOCAB)
    assert "\n" not in str(info.value)


def test_directory_is_not_a_notice(tmp_path: Path) -> None:
    with pytest.raises(NoticeError, match="directory"):
        read_notice(str(tmp_path), VOCAB)


def test_values_are_frozen() -> None:
    n = load("old_format.txt")
    with pytest.raises(AttributeError):
        n.kind = "rejection"  # type: ignore[misc]
