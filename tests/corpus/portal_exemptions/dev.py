"""Run the portal on a developer machine: python dev.py"""

from portal import create_app

app = create_app("config.DevelopmentConfig")

if __name__ == "__main__":
    app.run(debug=True, host="0.0.0.0", port=5000)
