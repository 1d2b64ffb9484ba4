#!/usr/bin/env bash
# Validates docs/openapi.yaml against the OpenAPI 3.1 schema (openapi-spec-validator from PyPI,
# installed by scripts/setup-debian.sh). The route-by-route match with the server is checked by
# the Swift test OpenAPIRouteTests.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -c 'import openapi_spec_validator' 2>/dev/null; then
    echo "check-openapi: openapi-spec-validator is not installed; run scripts/setup-debian.sh (pip install openapi-spec-validator)" >&2
    exit 1
fi
python3 -m openapi_spec_validator docs/openapi.yaml
