"""The API's machinery: the blueprint, token authentication, error bodies, and the table of
endpoints from which both the Flask routes and the OpenAPI document are made.

Every error answers {"status": …, "message": "中文 — English", "errors": {"field.path": [...]}}:
401 without a live token, 403 when the role may not, 404 for a record that does not exist or lies
outside the token's scope (the two are not told apart), 409 for a stale or duplicate write, 422
for a body or query that does not validate (every field named).
"""
import contextlib
from dataclasses import dataclass, field

from flask import Blueprint, g, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from admin import scoping
from admin.api.tokens import user_of_token
from admin.auth import actor_for
from core.records.audit import acting_as

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MESSAGES = {
    400: "请求无法理解 — The request was not understood.",
    401: "缺少有效的 API 令牌（Authorization: Bearer …） — A valid API token is required (Authorization: Bearer …).",
    403: "该账户无权执行此操作 — This account may not do this.",
    404: "记录不存在或不在您的管辖范围内 — Not found, or outside your jurisdiction.",
    405: "不支持该请求方法 — Method not allowed.",
    409: "记录已被他人修改，请重新读取后再提交 — The record was changed by someone else; read it again and retry.",
    413: "请求过大 — The request is too large.",
    415: "请求体应为 JSON（Content-Type: application/json） — The body must be JSON (Content-Type: application/json).",
    422: "提交的数据有误，见各字段 — The data is not valid; see each field.",
    500: "服务器内部错误 — Internal server error.",
}


class ApiError(Exception):
    def __init__(self, status, message=None, errors=None):
        self.status = status
        self.message = message or MESSAGES.get(status, MESSAGES[400])
        self.errors = errors or {}
        super().__init__(self.message)


def error_response(status, message=None, errors=None):
    response = jsonify({"status": status, "message": message or MESSAGES.get(status, ""), "errors": errors or {}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="hrpark"'
    return response


def flatten_errors(messages, path=()):
    """marshmallow's nested messages as {"a.0.b": [messages]}."""
    result = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            sub = path if key == "_schema" else path + (str(key),)
            for k, v in flatten_errors(value, sub).items():
                result.setdefault(k, []).extend(v)
    elif isinstance(messages, (list, tuple)) and messages and all(isinstance(m, str) for m in messages):
        result[".".join(path) or "_body"] = list(messages)
    elif isinstance(messages, (list, tuple)):
        for item in messages:
            for k, v in flatten_errors(item, path).items():
                result.setdefault(k, []).extend(v)
    else:
        result[".".join(path) or "_body"] = [str(messages)]
    return result


def validation_error(exc: ValidationError, prefix=()):
    return ApiError(422, errors=flatten_errors(exc.messages, prefix))


# --- who is calling -----------------------------------------------------------------------------------


def bearer_token():
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


PUBLIC_ENDPOINTS = {"api.openapi_json", "api.docs", "api.docs_static"}


@bp.before_request
def authenticate():
    """A live token's account becomes the request's user: its scope, its audit actor."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    user = user_of_token(bearer_token())
    if user is None:
        return error_response(401)
    g.user = user
    g.scope = scoping.scope_for(user)
    stack = g.get("actor_stack")
    if stack is None:
        stack = g.actor_stack = contextlib.ExitStack()
    stack.enter_context(acting_as(actor_for(user, g.scope)))
    return None


@bp.errorhandler(ApiError)
def _api_error(exc):
    return error_response(exc.status, exc.message, exc.errors)


@bp.errorhandler(HTTPException)
def _http_error(exc):
    return error_response(exc.code or 400)


# --- the table of endpoints ---------------------------------------------------------------------------


@dataclass
class Endpoint:
    """One operation: its route, what it answers and accepts, for the router and the document."""

    rule: str  # Flask rule, e.g. /parks/<int:park_id>
    method: str
    view: object
    operation_id: str
    summary: str
    tag: str
    response: object  # schema class (or instance) of the success body
    status: int = 200
    query: object = None  # schema class of the query parameters
    body: object = None  # schema instance of the request body
    errors: tuple = (401, 403, 404, 422)
    description: str = ""
    path_params: dict = field(default_factory=dict)  # name -> description

    @property
    def openapi_path(self):
        import re

        return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.rule)


ENDPOINTS: list[Endpoint] = []


def endpoint(rule, method, operation_id, summary, tag, response, **options):
    """Register a view as an operation of the API (route and OpenAPI entry at once)."""

    def decorator(view):
        ENDPOINTS.append(Endpoint(rule, method, view, operation_id, summary, tag, response, **options))
        bp.add_url_rule(rule, operation_id, view, methods=[method])
        return view

    return decorator
