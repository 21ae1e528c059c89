"""Print a fresh value for CLINIC_SECRET_KEY."""
import secrets

if __name__ == "__main__":
    print(secrets.token_urlsafe(48))
