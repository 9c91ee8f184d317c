from conference import create_app

app = create_app()
