"""The back office: a Flask app (admin.app.create_app) with Flask-Admin views, scoped to each user's jurisdiction."""
