"""Serve the booking app on the clinic LAN for the front desk tablet."""
from clinic import app

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)
