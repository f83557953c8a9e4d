# Two commands on a fresh machine with Python 3.11+ and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test lint messages clean

$(BIN)/django-admin: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# migrate also creates the cache table that holds the limits (survey/apps.py).
run: $(BIN)/django-admin
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py demo --base-url http://$(HOST)
	@echo "Serving on http://$(HOST)/ (Ctrl+C stops)"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

test: $(BIN)/django-admin
	$(BIN)/pytest

lint: $(BIN)/django-admin
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy --strict scoring/ survey/webhooks/
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
	@# The Kubernetes manifests against the bundled schemas (offline): as kustomize renders them
	@# when kubectl is installed (it has kustomize built in), else each file as written.
	if command -v kubectl >/dev/null; then \
		rendered=$$(mktemp) && kubectl kustomize deploy >$$rendered \
		&& $(BIN)/kubernetes-validate --strict --quiet $$rendered; \
		status=$$?; rm -f $$rendered; exit $$status; \
	else \
		$(BIN)/kubernetes-validate --strict --quiet deploy/kubernetes/*.yaml; \
	fi

# Needs GNU gettext; the compiled .mo files are committed so a clone runs without it.
messages: $(BIN)/django-admin
	$(BIN)/python manage.py makemessages -l vi --no-location --no-obsolete --ignore '.venv/*' --ignore 'bench/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) db.sqlite3* .test-db.sqlite3* staticfiles
