"""A role of the programme's own: 青川市's experts (评审专家, roles.yaml) take the expert review of
第四条第（二）项. The role is declared as data with its article and the core role whose binding and
reading rights it has; accounts of it are bound and checked as that role's are; a wrong roles.yaml
is refused naming file, line and key, and a programme cannot redefine a core role."""
import pytest
from click.testing import CliRunner

from admin import permissions
from core.io.cli.main import cli
from core.records import vocab
from core.records.accounts import AccountError, create_user
from core.rules.programme_data import ProgrammeDataError, RoleSchema, load_items
from core.records.models import Jurisdiction
from core.records.accounts import User

from .conftest import QINGCHUAN


def test_the_experts_are_declared_with_their_article(registry):
    [expert] = registry.get(QINGCHUAN).plugin.build_roles()
    assert expert == {"id": "expert", "label": "评审专家", "label_en": "expert reviewer",
                      "article": "第四条第（二）项", "like": "panel_member"}
    assert (vocab.ROLES.label("expert"), vocab.ROLES.label("expert", "en")) == ("评审专家", "expert reviewer")
    assert all(registry.get(city).plugin.build_roles() == [] for city in ("changzhi", "karamay", "changzhi-luzhou"))


def test_the_procedure_gives_the_experts_their_step_and_nobody_else(registry):
    procedure = registry.get(QINGCHUAN).procedure()
    taken_by_experts = {t.id for t in procedure.transitions if "expert" in t.roles}
    assert taken_by_experts == {"expert_pass", "expert_reject"}
    assert all(t.roles == ("expert",) for t in procedure.transitions if t.id in taken_by_experts)
    assert procedure.verdict_stage.roles == ("expert",)


def test_an_expert_reads_what_a_panel_member_reads_and_no_more(registry):
    for resource in permissions.MATRIX:
        assert permissions.actions_for("expert", resource) == permissions.actions_for("panel_member", resource), resource


def test_an_expert_account_is_bound_to_a_jurisdiction(db, town):
    user = create_user("qc_expert2", "expert", "a-long-enough-passphrase-1", jurisdiction=town.city)
    assert user.role_label == "评审专家"
    with pytest.raises(AccountError, match="必须绑定一个辖区"):
        create_user("qc_expert3", "expert", "a-long-enough-passphrase-1")
    with pytest.raises(AccountError, match="不绑定产业园"):
        create_user("qc_expert4", "expert", "a-long-enough-passphrase-1", jurisdiction=Jurisdiction.get_by_id(town.city.id),
                    park=town.park)


@pytest.mark.parametrize("body, where", [
    ("roles:\n  - {id: expert, label: 专家, label_en: expert, article: 第四条}\n", r"roles.yaml:2: like"),
    ("roles:\n  - {id: expert, label: 专家, label_en: expert, article: 第四条, like: admin}\n", r"roles.yaml:2: like"),
    ("roles:\n  - id: city_officer\n    label: 专家\n    label_en: expert\n    article: 第四条\n    like: panel_member\n",
     r"roles.yaml:2: id"),  # a programme cannot redefine a core role
])
def test_a_wrong_roles_file_names_file_line_and_key(tmp_path, body, where):
    path = tmp_path / "roles.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ProgrammeDataError, match=where):
        load_items(path, "roles", RoleSchema())


def test_a_role_declared_twice_otherwise_is_refused(registry):
    vocab.declare_role("expert", "评审专家", "expert reviewer", "panel_member")  # the same declaration again: fine
    with pytest.raises(ValueError, match="expert"):
        vocab.declare_role("expert", "评审专家", "expert reviewer", "city_officer")
    assert vocab.core_role("expert") == "panel_member"


def test_without_qingchuan_installed_the_experts_are_unknown():
    """programme_roles_forgotten (conftest): a test without Qingchuan's registry, like the other
    directories' tests run by this worker, knows the core's roles only, whichever test ran before."""
    assert "expert" not in vocab.ROLES and vocab.core_role("expert") == "expert"
    assert vocab.CORE_ROLES == ("admin", "city_officer", "city_finance", "county_officer", "panel_member", "park_operator")


def test_the_administrator_may_give_an_account_the_experts_role(browse):
    page = browse("admin").html("/admin/user/new/")
    assert 'value="expert"' in page and "评审专家" in page


def test_the_command_line_creates_an_expert_account(town):
    """`hrpark user create --role expert`: a role the installed programme declares, bound as a panel member —
    though the command was defined (on import, above) before any plugin declared it."""
    def create(*args):
        return CliRunner().invoke(cli, ["user", "create", *args, "--password", "a-long-enough-passphrase-1"])

    result = create("qc_expert3", "--role", "expert", "--jurisdiction", QINGCHUAN)
    assert result.exit_code == 0, result.output
    assert (User.get(User.username == "qc_expert3").role, User.get(User.username == "qc_expert3").jurisdiction_id) == (
        "expert", town.city.id)
    refused = create("qc_someone", "--role", "assessor", "--jurisdiction", QINGCHUAN)
    assert refused.exit_code == 2 and "assessor" in refused.output and "expert" in refused.output
