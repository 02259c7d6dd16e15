import pytest


@pytest.fixture
def page_text():
    """The visible text of a response, tags removed and white space collapsed."""
    import re
    from html import unescape

    def text(response):
        body = response.content.decode()
        body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())

    return text
