FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY survey ./survey
COPY scoring ./scoring
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
RUN useradd --system app
USER app
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn survey.wsgi --bind 0.0.0.0:8000 --workers 3 --access-logfile -"]
