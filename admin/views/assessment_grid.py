"""A whole year's scores on one grid: every recognised park of one programme in the user's scope not
yet assessed for the year, one row each, one column per indicator of that year. 预览 computes each
row's total, grade and the consequences confirming it would set off, writing nothing; 保存 writes
every filled row as a draft in one transaction — all or none, a refusal naming its park (the row) and
its indicator (the column). Drafts are confirmed one by one on their pages, as before."""
from types import SimpleNamespace

from flask import flash, redirect, request, url_for

from admin.auth import current_actor, current_scope, current_user
from admin.i18n import bilingual, in_page_language, localized
from admin.scoping import scoped_select
from admin.views import workflow
from admin.views.workflow import posted_text
from core.records.db import database
from core.records.models import Assessment, Recognition
from core.records.services import assessments as assessment_service
from core.records.services.base import ServiceError
from core.rules.assessment import ScoreError, assessment_day
from core.rules.programmes import governing_rules


def grid_rows(scope, programme, year):
    """The recognitions of `programme` in `scope` to assess for `year`: recognised by then, not revoked,
    with no assessment of that year but a cancelled one."""
    entered = Assessment.select(Assessment.recognition).where(
        (Assessment.year == year) & (Assessment.status != "cancelled"))
    candidates = (scoped_select(Recognition, scope)
                  .where((Recognition.status != "revoked") & Recognition.id.not_in(entered))
                  .order_by(Recognition.official_name))
    return [r for r in candidates if r.recognised_on.year <= year and governing_rules(r).code == programme]


def programmes_in(scope, own_code=None):
    """(code, name) of the programmes governing the recognitions in `scope`, the user's own place's first."""
    seen = {}
    for recognition in scoped_select(Recognition, scope).where(Recognition.status != "revoked"):
        rules = governing_rules(recognition)
        seen.setdefault(rules.code, f"《{rules.info.measures_title}》")
    return sorted(seen.items(), key=lambda item: (item[0] != own_code, item[1]))


def posted_scores(rows, indicators):
    """{recognition id: {indicator id: text}} of the rows with any score typed, and the (row, column)
    of each blank cell of those rows (a row is scored whole or not at all)."""
    scores, blanks = {}, []
    for r in rows:
        typed = {i.id: posted_text(f"score-{r.id}-{i.id}") for i in indicators}
        if any(typed.values()):
            scores[r.id] = typed
            blanks += [(r, i) for i in indicators if not typed[i.id]]
    return scores, blanks


def preview(rows, scores, year, on):
    """{recognition id: (total, grade label, [consequence texts]) or the refusal's text}, writing nothing."""
    from admin.views.assessments import consequence_label, grade_label  # that module routes here: imported late

    results = {}
    for r in rows:
        if r.id not in scores:
            continue
        rules = governing_rules(r)
        try:
            total, grade = rules.grade(scores[r.id], assessment_day(year))
        except ScoreError as exc:
            results[r.id] = in_page_language(str(exc))
            continue
        draft = Assessment(recognition=r, year=year, total_score=total, grade=grade, assessed_on=on)
        consequences = [f"{consequence_label(c.kind)}（{c.article}）"
                        for c in assessment_service.preview_consequences(draft)]
        results[r.id] = (total, grade_label(grade), consequences)
    return results


def save_all(rows, scores, year, on):
    """Every scored row as a draft, in one transaction; the count, or None with the refusal flashed."""
    by_id = {r.id: r for r in rows}
    try:
        with database.atomic():
            for recognition_id, typed in scores.items():
                try:
                    assessment_service.create_assessment(by_id[recognition_id], year, typed, current_actor(),
                                                         assessed_on=on)
                except ServiceError as exc:
                    raise ServiceError(f"{by_id[recognition_id].official_name}：{exc.zh}",
                                       f"{by_id[recognition_id].official_name}: {exc.en}") from None
    except ServiceError as exc:
        flash(bilingual("Nothing saved: %(error)s", error=in_page_language(str(exc))), "error")
        return None
    return len(scores)


def grid_choice():
    """The programme, year, rows and indicators the request chooses, with the programmes to choose from:
    the user's own place's programme and last year unless the request says otherwise."""
    today = workflow.today()
    user = current_user()
    programmes = programmes_in(current_scope(), user.jurisdiction.code if user.jurisdiction_id else None)
    programme = request.values.get("programme") or (programmes[0][0] if programmes else "")
    if programme not in dict(programmes):
        programme = programmes[0][0] if programmes else ""
    year = workflow.as_int(request.values.get("year"))
    if year is None or not 2000 <= year <= today.year:
        year = today.year - 1
    rows = grid_rows(current_scope(), programme, year) if programme else []
    indicators = governing_rules(rows[0]).indicators(assessment_day(year)) if rows else []
    return SimpleNamespace(programmes=programmes, programme=programme, year=year, rows=rows, indicators=indicators)


def render_grid(view, choice, values, results=None, blanks=(), previewed=False, problems=(), status=200, imported=0):
    """The grid page: `values` the cells' texts by field name, `results` the preview's, `problems` a
    refused workbook's (core.io.tabular.Problem), `imported` the number of rows a workbook filled."""
    page = view.render("hrpark/assessment_grid.html", programmes=choice.programmes, programme=choice.programme,
                       year=choice.year, rows=choice.rows,
                       indicators=[{"id": i.id, "label": localized(i.label, i.label_en), "article": i.article}
                                   for i in choice.indicators],
                       values=values, results=results or {}, blank_cells={(r.id, i.id) for r, i in blanks},
                       previewed=previewed, problems=[problem_line(p) for p in problems], imported=imported)
    return page, status


def problem_line(problem):
    """“第5行 C列「服务收入」：不是数字”: where a workbook's problem is, and what it is, in the page's language."""
    message = in_page_language(problem.message)
    if problem.row == 0:
        return bilingual("Whole file: %(message)s", message=message) if not problem.header else \
            bilingual("Column “%(header)s”: %(message)s", header=problem.header, message=message)
    return bilingual("Row %(row)s, column %(column)s “%(header)s”: %(message)s", row=problem.row,
                     column=problem.column, header=problem.header, message=message)


def grid_page(view):
    """The grid's GET (and 预览 / 保存 POST) for `view`, the assessment list's view."""
    choice = grid_choice()
    results, blanks = {}, []
    if request.method == "POST":
        scores, blanks = posted_scores(choice.rows, choice.indicators)
        if blanks:
            flash(bilingual("Not saved: a row is scored whole or left blank. Missing: %(cells)s",
                            cells="；".join(f"{r.official_name} · {localized(i.label, i.label_en)}" for r, i in blanks)),
                  "error")
        elif not scores:
            flash(bilingual("Nothing to save: no score was typed."), "error")
        elif request.form.get("save") == "1":
            saved = save_all(choice.rows, scores, choice.year, workflow.today())
            if saved is not None:
                flash(bilingual("%(n)s draft assessment(s) of %(year)s saved: confirm each on its page to apply its consequences.",
                                n=saved, year=choice.year), "success")
                return redirect(url_for(".index_view"))
        results = preview(choice.rows, scores, choice.year, workflow.today())
    return render_grid(view, choice, request.form, results, blanks,
                       previewed=request.method == "POST" and not blanks and bool(results))
