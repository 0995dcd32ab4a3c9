"""The self-service hall kiosk (DESIGN.md §3); built in the kiosk issue."""
