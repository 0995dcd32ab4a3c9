"""Small pieces every capability uses: the anonymous page cache, spreadsheet safety, base UI."""
