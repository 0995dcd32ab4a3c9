"""The self-service hall kiosk (自助终端): the touch UI of the service hall's terminals."""
