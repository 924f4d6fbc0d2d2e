# One image for web (gunicorn), worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=douyin_cart.settings.prod
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only-build-only-build-only-build-only-build-only-x \
    python manage.py compilemessages --ignore=.venv -v0 && \
    SECRET_KEY=build-only-build-only-build-only-build-only-build-only-x \
    python manage.py collectstatic --noinput -v0
RUN useradd --create-home app && mkdir -p /app/media && chown app /app/media
USER app
EXPOSE 8000
CMD ["gunicorn", "douyin_cart.wsgi:application", "-c", "gunicorn.conf.py"]
