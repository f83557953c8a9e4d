FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY survey ./survey
COPY scoring ./scoring
RUN pip install --no-cache-dir .
COPY . .
# Production serves static files from the collected, hashed copies (DEBUG=0 without them
# answers 500 on every page): collect them into the image.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
RUN useradd --system app
# The nginx error-log redactor's socket (compose's proxy-log): a fresh volume takes this owner.
RUN install -d -o app -m 755 /var/run/nginx-log
USER app
EXPOSE 8000
# docker-compose runs migrate once in its own service and overrides this; a single
# `docker run` migrates (which also creates the cache table) and serves.
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn -c deploy/gunicorn.conf.py survey.wsgi"]
