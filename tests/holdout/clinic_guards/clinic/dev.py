"""Run the clinic locally with the debugger: `python -m clinic.dev`."""
from clinic import app

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5001, debug=True, use_reloader=True)
