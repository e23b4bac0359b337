"""The OpenAPI 3 document of the API (apispec, from the same marshmallow schemas the endpoints
use) at /api/v1/openapi.json, and a browsable page at /api/v1/docs (Swagger UI served from the
swagger-ui-bundle package: no CDN, it works offline)."""
from pathlib import Path

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from flask import abort, current_app, jsonify, render_template_string, send_from_directory, url_for

from admin.api import resources  # noqa: F401 (registers the endpoints)
from admin.api.base import ENDPOINTS, MESSAGES, bp
from admin.api.schemas import ErrorOut
from core.plugin.registry import registry

TITLE = "hrpark 信息共享接口 / information-sharing API"
VERSION = "1.0.0"
DESCRIPTION = """人力资源服务产业园信息共享平台的接口{articles_zh}。
每个账户在后台“API 令牌”页签发令牌，令牌只显示一次；请求时带 `Authorization: Bearer <令牌>`。
令牌的可见范围与该账户在后台相同：永远不会读到其他辖区的记录。产业园运营方可报送本园区的入驻机构名册和年度数据，
其余事项由工作人员在后台办理。金额为两位小数的字符串（元）。

The API of the information-sharing platform{articles_en}. Each account issues
its tokens on the back office's "API tokens" page (shown once); send `Authorization: Bearer <token>`.
A token reaches exactly what its account reaches in the back office. A park operator submits its
park's agency roster and yearly figures; everything else is done by officials in the back office.
Money is a string with two decimal places (yuan). Errors: {{status, message, errors: {{field: [..]}}}}."""


def description(reg) -> str:
    """DESCRIPTION citing each installed programme's own article on the platform (its
    `platform_article`), none where no programme declares one."""
    cited = sorted((j.info.name_prefix, j.info.name_en, j.info.platform_article) for j in reg if j.info.platform_article)
    return DESCRIPTION.format(
        articles_zh=f"（{'、'.join(f'{prefix}办法{article}' for prefix, _, article in cited)}）" if cited else "",
        articles_en=f" ({', '.join(f'{name_en} {article}' for _, name_en, article in cited)})" if cited else "")


class HrparkConverter(OpenAPIConverter):
    """Fields that know their JSON Schema (core.io.dossier's and the API's own) say it themselves."""

    def field2property(self, field):
        json_schema = getattr(field, "json_schema", None)
        if json_schema is None:
            return super().field2property(field)
        prop = dict(json_schema())
        nullable = field.allow_none
        variants = prop.get("anyOf")
        if variants and any(v == {"type": "null"} for v in variants):
            variants = [v for v in variants if v != {"type": "null"}]
            nullable = True
            prop.pop("anyOf")
            if len(variants) == 1:
                prop.update(variants[0])
            else:
                prop["anyOf"] = variants
        if nullable:
            prop["nullable"] = True
        for key in ("description", "enum", "example", "format", "pattern", "maxLength"):
            if key in field.metadata:
                prop[key] = field.metadata[key]
        return prop


class HrparkMarshmallowPlugin(MarshmallowPlugin):
    Converter = HrparkConverter


def _schema_name(schema):
    cls = schema if isinstance(schema, type) else type(schema)
    return cls.__name__


def build_spec(reg=None) -> dict:
    """The document; its description cites the articles of `reg`'s programmes (the process's registry by default)."""
    spec = APISpec(
        title=TITLE,
        version=VERSION,
        openapi_version="3.0.3",
        plugins=[HrparkMarshmallowPlugin(schema_name_resolver=_schema_name)],
        info={"description": description(reg or registry())},
        servers=[{"url": "/api/v1"}],
    )
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer",
                                                   "description": "后台签发的 API 令牌 / an API token issued in the back office"})
    spec.components.schema("Error", schema=ErrorOut)
    for status, message in MESSAGES.items():
        spec.components.response(str(status), {
            "description": message,
            "content": {"application/json": {"schema": "Error"}},
        })
    paths = {}
    for ep in ENDPOINTS:
        operation = {
            "operationId": ep.operation_id,
            "summary": ep.summary,
            "tags": [resources.TAGS[ep.tag]],
            "security": [{"bearerAuth": []}],
            "responses": {str(ep.status): {"description": "成功 / OK",
                                           "content": {"application/json": {"schema": ep.response}}}},
        }
        if ep.description:
            operation["description"] = ep.description
        for status in ep.errors:
            operation["responses"][str(status)] = str(status)
        parameters = [
            {"in": "path", "name": name, "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}}
            for name in _path_names(ep.rule)
        ]
        if ep.query is not None:
            parameters.append({"in": "query", "schema": ep.query})
        if parameters:
            operation["parameters"] = parameters
        if ep.body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": ep.body}}}
        paths.setdefault(ep.openapi_path, {})[ep.method.lower()] = operation
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _path_names(rule):
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", rule)


@bp.route("/openapi.json")
def openapi_json():
    spec = current_app.extensions.get("hrpark_openapi")
    if spec is None:
        spec = current_app.extensions["hrpark_openapi"] = build_spec(current_app.extensions["hrpark_registry"])
    return jsonify(spec)


DOCS_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>{{ title }}</title>
  <link rel="stylesheet" href="{{ static('swagger-ui.css') }}">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{{ static('swagger-ui-bundle.js') }}"></script>
  <script nonce="{{ csp_nonce() }}">
    // validatorUrl null: no badge fetched from swagger.io (the page is served offline, under CSP)
    window.ui = SwaggerUIBundle({url: {{ spec_url|tojson }}, dom_id: "#swagger-ui", deepLinking: true,
                                 docExpansion: "list", defaultModelsExpandDepth: 1, validatorUrl: null});
  </script>
</body>
</html>"""


def _swagger_dir():
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


@bp.route("/docs")
def docs():
    if _swagger_dir() is None:
        abort(404)
    return render_template_string(
        DOCS_PAGE, title=TITLE, spec_url=url_for("api.openapi_json"),
        static=lambda name: url_for("api.docs_static", filename=name),
    )


@bp.route("/docs/static/<path:filename>")
def docs_static(filename):
    directory = _swagger_dir()
    if directory is None or filename not in ("swagger-ui.css", "swagger-ui-bundle.js"):
        abort(404)
    return send_from_directory(directory, filename, max_age=86400)
