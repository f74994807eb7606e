"""Reading a page the way a browser would post it back (for load scripts and HTTP tests)."""

import re


def page_fields(html):
    """Hidden and text inputs, textareas, and each select's chosen option: what submitting the page sends."""
    fields = dict(re.findall(r'<input type="(?:hidden|text)" name="([^"]+)" value="([^"]*)"', html))
    for name, text in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S):
        fields[name] = text
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        fields[name] = chosen.group(1) if chosen else ""
    return fields
