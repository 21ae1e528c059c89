from survey import app

if __name__ == "__main__":
    app.run(host="::", port=8080)
