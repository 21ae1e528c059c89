from wiki import create_app

app = create_app()
