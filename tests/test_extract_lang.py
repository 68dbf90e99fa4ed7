"""poalint.extract.lang: is a letter English? Offline, from stop-words and writing systems."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from poalint.extract.lang import LanguageVerdict, _vocab_path, detect, english_share, english_spans

ENGLISH = """Dear Amazon Seller Performance Team,

Thank you for reviewing our account. Our selling privileges were removed because 14 orders in March were
delivered late. We have looked at every late order and we understand what went wrong.

Root Cause

Our warehouse did not have enough staff during the spring sale, and we did not check the carrier's pickup
times. Orders waited two days before they were collected.

Corrective Actions

- We hired two more packers on 3 April.
- We moved all orders to a carrier with a daily pickup.

Sincerely,
Jane Doe
Doe Home Goods"""

GERMAN = """Sehr geehrtes Amazon Team,

wir haben die Ursache für die verspäteten Lieferungen gefunden. Unser Lager hatte nicht genug Mitarbeiter
und die Bestellungen wurden zu spät an den Versanddienst übergeben.

Wir haben zwei neue Mitarbeiter eingestellt und prüfen jeden Tag alle offenen Bestellungen. Außerdem haben
wir einen zweiten Versanddienst unter Vertrag genommen.

Mit freundlichen Grüßen
Hans Müller"""

CHINESE = """尊敬的亚马逊卖家绩效团队：

我们的账户因为延迟发货被暂停。根本原因是我们的仓库在节假日期间人手不足，没有按时处理订单。

我们已经招聘了两名新员工，并且每天检查所有未发货的订单，确保当天发货。

此致
敬礼
张伟"""

SPANISH = """Estimado equipo de Amazon:

Hemos revisado la causa de los retrasos en los envíos. Nuestro almacén no tenía suficiente personal y los
pedidos se enviaron tarde a la empresa de transporte.

Hemos contratado a dos personas más y revisamos todos los pedidos cada día para que esto no vuelva a pasar.

Atentamente,
Juan Pérez"""

SUPPLIER_NOTE = "“由于春节假期，我们的工厂停工两周，所有订单都推迟发货。”"
MIXED = ENGLISH.replace("Root Cause\n\n", f"Root Cause\n\nOur supplier wrote to us on 2 February:\n\n{SUPPLIER_NOTE}\n\n")


def test_english_letter() -> None:
    verdict = detect(ENGLISH)
    assert verdict == LanguageVerdict(True, 1.0, "Latin", "The letter is written in English.")
    assert english_share(ENGLISH) == 1.0


@pytest.mark.parametrize(("text", "language", "script"), [
    (GERMAN, "German", "Latin"),
    (CHINESE, "Chinese, Japanese or Korean", "CJK"),
    (SPANISH, "Spanish", "Latin"),
])
def test_letters_in_other_languages_are_not_english(text: str, language: str, script: str) -> None:
    verdict = detect(text)
    assert not verdict.is_english
    assert verdict.share < 0.2
    assert verdict.script == script
    assert language in verdict.note and "English" in verdict.note
    assert "\n" not in verdict.note


def test_a_letter_quoting_a_chinese_supplier_note_is_english_and_skips_the_quote() -> None:
    verdict = detect(MIXED)
    assert verdict.is_english
    assert 0.6 < verdict.share < 1.0
    assert verdict.script == "Latin"
    assert verdict.note.startswith("The letter is mostly English (")
    assert "1 paragraph in Chinese, Japanese or Korean is not checked" in verdict.note
    spans = english_spans(MIXED)
    texts = [MIXED[a:b] for a, b in spans]
    assert SUPPLIER_NOTE not in "".join(texts)
    assert texts[0] == "Dear Amazon Seller Performance Team,"
    assert "Our supplier wrote to us on 2 February:" in texts
    assert "Root Cause" in texts  # a heading with no telling words goes with English
    assert texts[-1] == "Sincerely,\nJane Doe\nDoe Home Goods"
    assert all(MIXED[a:b].strip() == MIXED[a:b] and a < b for a, b in spans)


def test_a_quoted_line_inside_a_paragraph_is_split_out() -> None:
    text = f"Our supplier's message said:\n{SUPPLIER_NOTE}\nWe then checked every order that was affected."
    spans = english_spans(text)
    assert [text[a:b] for a, b in spans] == ["Our supplier's message said:", "We then checked every order that was affected."]


def test_a_letter_in_another_language_has_no_english_spans() -> None:
    assert english_spans(GERMAN) == []  # not even its greeting or signature, which have no telling words
    assert english_spans(CHINESE) == []


def test_a_mostly_german_letter_with_an_english_greeting_is_not_english() -> None:
    text = "Dear Amazon team, this is our plan.\n\n" + GERMAN.split("\n\n", 1)[1]
    assert not detect(text).is_english
    assert [text[a:b] for a, b in english_spans(text)] == ["Dear Amazon team, this is our plan."]


def test_half_english_half_spanish_bilingual_letter() -> None:
    english = "We have fixed the cause of the late orders and we check them every day."
    spanish = "Hemos corregido la causa de los pedidos tardíos y los revisamos todos los días."
    verdict = detect(english + "\n\n" + spanish)
    assert 0.3 < verdict.share < 0.7
    assert english_spans(english + "\n\n" + spanish) == [(0, len(english))]


@pytest.mark.parametrize(("text", "language"), [
    ("Nous avons corrigé la cause des retards et nous vérifions toutes les commandes pour nos clients.", "French"),
    ("Abbiamo corretto la causa dei ritardi e controlliamo tutti gli ordini per i nostri clienti.", "Italian"),
    ("Nós corrigimos a causa dos atrasos e verificamos todos os pedidos para os nossos clientes.", "Portuguese"),
    ("Wij hebben de oorzaak van de vertraging gevonden en controleren alle bestellingen voor onze klanten.", "Dutch"),
    ("Gecikmelerin nedenini bulduk ve bundan sonra tüm siparişler için her gün kontrol ediyoruz.", "Turkish"),
    ("Znaleźliśmy przyczynę opóźnień i teraz sprawdzamy wszystkie zamówienia dla naszych klientów.", "Polish"),
    ("Мы нашли причину задержек и теперь проверяем все заказы каждый день.", "Cyrillic"),
    ("وجدنا سبب التأخير ونقوم الآن بفحص جميع الطلبات كل يوم.", "Arabic"),
    ("מצאנו את הסיבה לעיכובים ואנחנו בודקים את כל ההזמנות כל יום.", "Hebrew"),
    ("เราพบสาเหตุของความล่าช้าและตรวจสอบคำสั่งซื้อทุกวัน", "Thai"),
    ("हमने देरी का कारण ढूंढ लिया है और अब हर दिन सभी ऑर्डर की जांच करते हैं।", "Devanagari"),
    ("遅延の原因を見つけ、毎日すべての注文を確認しています。", "Chinese, Japanese or Korean"),
])
def test_other_languages_and_scripts(text: str, language: str) -> None:
    verdict = detect(text)
    assert not verdict.is_english, text
    assert language in verdict.note
    assert english_spans(text) == []


def test_text_with_no_telling_words() -> None:
    for text in ("", "   \n\n  ", "Seller ID: A1B2C3D4E5\nOrder 123-4567890-1234567", "12345"):
        verdict = detect(text)
        assert verdict.is_english and verdict.share == 1.0
        assert english_share(text) == 1.0


def test_english_words_with_accents_and_curly_apostrophes_stay_english() -> None:
    text = "We didn\u2019t check the caf\u00e9\u2019s r\u00e9sum\u00e9 of the supplier, and that was our fault."
    assert detect(text).is_english


def test_the_vocabulary_is_data_in_rules_language_yaml() -> None:
    data = yaml.safe_load(_vocab_path().read_text(encoding="utf-8"))
    assert set(data["stopwords"]) == {"en", "de", "fr", "es", "it", "pt", "nl", "tr", "pl"}
    for lang, words in data["stopwords"].items():
        assert all(isinstance(w, str) and w == w.lower() for w in words), lang  # no YAML true/false slipped in
        assert lang in data["names"]
    for name, spec in data["scripts"].items():
        assert name in data["names"]
        assert all(lo <= hi for lo, hi in spec["ranges"])
    # English stop-words avoid words as common in the other languages
    assert not {"in", "is", "was", "die", "an", "i", "a"} & set(data["stopwords"]["en"])


def test_the_language_module_imports_nothing_heavy() -> None:
    code = "import sys, poalint.extract.lang; print('spacy' in sys.modules, 'yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_long_letter_is_judged_quickly() -> None:
    import time

    big = (ENGLISH + "\n\n") * 400  # about 400 KB
    t0 = time.perf_counter()
    assert detect(big).is_english
    assert time.perf_counter() - t0 < 5
