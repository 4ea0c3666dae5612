"""TAM Copilot console: ``python -m copilot ui`` (or ``streamlit run ui/app.py`` with COPILOT_HOME set).

The entry script only sets the page up, draws the sidebar and hands over to the picked page.
Every page calls ``copilot.service.Copilot`` (through ``ui.state.copilot()``) and nothing else.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run ui/app.py` from anywhere, installed or not
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui.sidebar import render_sidebar  # noqa: E402

# an emoji favicon is a local data: URL; a :material/…: one makes the browser fetch it from fonts.gstatic.com
st.set_page_config(page_title="TAM Copilot", page_icon="🧭", layout="wide")

PAGES = {
    "Portfolio": [
        st.Page("views/portfolio.py", title="Portfolio", icon=":material/dashboard:", url_path="portfolio",
                default=True),
    ],
    "Account": [
        st.Page("views/escalations.py", title="Escalations", icon=":material/notification_important:",
                url_path="escalations"),
        st.Page("views/chat.py", title="Chat", icon=":material/forum:", url_path="chat"),
        st.Page("views/incidents.py", title="Incidents", icon=":material/local_fire_department:", url_path="incidents"),
        st.Page("views/qbr.py", title="QBR", icon=":material/monitoring:", url_path="qbr"),
    ],
    "Workflow": [
        st.Page("views/review.py", title="Review queue", icon=":material/task_alt:", url_path="review"),
        st.Page("views/ingest.py", title="Ingest", icon=":material/input:", url_path="ingest"),
    ],
}

page = st.navigation(PAGES)
render_sidebar()
page.run()
