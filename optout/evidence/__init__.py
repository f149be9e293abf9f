"""What optout keeps as proof: screenshots, captures of pages not understood, the HTML report."""
