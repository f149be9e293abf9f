"""Small inline SVG icons, drawn for the sandbox (pages may load nothing from outside)."""

from __future__ import annotations

_FILLED: dict[str, str] = {
    "home": '<path d="M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z"/>',
    "network": (
        '<circle cx="8" cy="8" r="3.5"/><circle cx="16.5" cy="9" r="2.8"/>'
        '<path d="M1.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6z"/>'
        '<path d="M15.6 20c0-2.2-.7-4-1.9-5.3.9-.4 1.9-.7 2.9-.7 3.1 0 5.4 2.1 5.4 5.2V20z"/>'
    ),
    "jobs": (
        '<path d="M9 3h6a2 2 0 0 1 2 2v2h3a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V9'
        'a2 2 0 0 1 2-2h3V5a2 2 0 0 1 2-2zm0 4h6V5H9z"/>'
    ),
    "messaging": (
        '<path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5'
        'a2 2 0 0 1 2-2zm3 6v2h10V9zm0 4v2h6v-2z"/>'
    ),
    "bell": (
        '<path d="M12 2a6 6 0 0 1 6 6v5l2 3v1H4v-1l2-3V8a6 6 0 0 1 6-6zm-2.5 17h5'
        'a2.5 2.5 0 0 1-5 0z"/>'
    ),
    "search": (
        '<path d="M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3zm0 2'
        'a5 5 0 1 0 0 10 5 5 0 0 0 0-10z"/>'
    ),
    "person": '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7z"/>',
    "lock": (
        '<path d="M7 10V7a5 5 0 0 1 10 0v3h1a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1'
        'V11a1 1 0 0 1 1-1zm2 0h6V7a3 3 0 0 0-6 0z"/>'
    ),
    "eye": (
        '<path d="M12 5c5 0 9 4.5 10 7-1 2.5-5 7-10 7S3 14.5 2 12c1-2.5 5-7 10-7zm0 3'
        'a4 4 0 1 0 0 8 4 4 0 0 0 0-8z"/>'
    ),
    "shield": '<path d="M12 2l8 3v6c0 5-3.4 9.3-8 11-4.6-1.7-8-6-8-11V5z"/>',
    "ad": (
        '<path d="M3 5h18a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z'
        "m4.2 3L4.8 16h2l.5-1.6h2.4l.5 1.6h2L9.8 8zm.9 2.3.8 2.4H7.3zM14 8v8h2.5"
        'a4 4 0 0 0 0-8zm2 2h.5a2 2 0 0 1 0 4H16z"/>'
    ),
    "pencil": '<path d="M16.5 3.5l4 4L8 20H4v-4zM15 6.9 17.1 9l1.4-1.5-2-2z"/>',
    "photo": (
        '<path d="M3 4h18a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z'
        'm1 13h16l-5-6-4 4.5-2.5-2.5z"/>'
    ),
    "like": (
        '<path d="M2 10h4v11H2zm6 0 4-7c1.7 0 2.6 1.3 2.2 2.9L13.5 9H20a2 2 0 0 1 2 2.3'
        'l-1.4 8A2 2 0 0 1 18.6 21H8z"/>'
    ),
    "comment": '<path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H10l-6 4V6a2 2 0 0 1 2-2z"/>',
    "repost": '<path d="M7 4 3 8l4 4V9h10v4h2V7H7zm10 16 4-4-4-4v3H7v-4H5v6h12z"/>',
    "send": '<path d="M2 21 23 12 2 3v7l15 2-15 2z"/>',
}

_STROKED: dict[str, str] = {
    "chevron": '<path d="M9 5l7 7-7 7"/>',
    "back": '<path d="M11 5l-7 7 7 7M4 12h17"/>',
}


def icon(name: str, size: int = 24) -> str:
    """Markup for one icon, coloured by the surrounding text colour."""
    if name in _STROKED:
        paint = 'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"'
        body = _STROKED[name]
    else:
        paint = 'fill="currentColor" fill-rule="evenodd"'
        body = _FILLED[name]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="{size}" '
        f'height="{size}" {paint} aria-hidden="true" focusable="false">{body}</svg>'
    )
