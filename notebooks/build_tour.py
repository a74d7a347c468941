"""Write notebooks/tour.ipynb (cells only); the test suite executes it, `--execute` stores outputs."""
import os
import sys

import nbformat as nbf

HERE = os.path.dirname(os.path.abspath(__file__))
cells = [
    nbf.v4.new_markdown_cell(
        "# syextract: a tour of the corpus\n\nExtract every document in `corpus/docs/`, load the records "
        "as pandas tables, plot activities per month and per kind, and diff one issuer's plans year over year."),
    nbf.v4.new_code_cell(
        "%matplotlib inline\nimport glob, os\nimport matplotlib.pyplot as plt\nfrom matplotlib import font_manager\n"
        "import syextract\n\nROOT = os.path.abspath('..') if os.path.basename(os.getcwd()) == 'notebooks' "
        "else os.getcwd()\npaths = sorted(glob.glob(os.path.join(ROOT, 'corpus', 'docs', '*.*')))\n"
        "docs = [syextract.extract(p) for p in paths]\n"
        "[(d.id, len(d.plans), d.source.format, d.source.encoding) for d in docs]"),
    nbf.v4.new_code_cell(
        "frames = syextract.to_frames(docs)\n{name: len(df) for name, df in frames.items()}"),
    nbf.v4.new_code_cell("frames['plans'][['doc_id', 'plan_id', 'title', 'issuer', 'year', 'n_activities']]"),
    nbf.v4.new_markdown_cell("## Activities per month\nAn activity counts in the months of the times linked to it."),
    nbf.v4.new_code_cell(
        "links = frames['activity_links']\ntimes = frames['times'][['doc_id', 'plan_id', 'id', 'month', 'month_end']]\n"
        "t = links[links.kind == 'times'].merge(times, left_on=['doc_id', 'plan_id', 'target_id'],\n"
        "                                          right_on=['doc_id', 'plan_id', 'id'])\n"
        "t = t.dropna(subset=['month'])\n"
        "per_month = t.drop_duplicates(['doc_id', 'activity_id', 'month']).groupby('month').size()\n"
        "ax = per_month.reindex(range(1, 13), fill_value=0).plot.bar(title='activities per month')\n"
        "ax.set_xlabel('month'); plt.tight_layout(); per_month"),
    nbf.v4.new_markdown_cell("## Activities per kind"),
    nbf.v4.new_code_cell(
        "cjk = [f.name for f in font_manager.fontManager.ttflist if 'CJK' in f.name or 'WenQuanYi' in f.name]\n"
        "plt.rcParams['font.sans-serif'] = cjk[:1] + ['DejaVu Sans']  # Chinese labels where a CJK font exists\n"
        "per_kind = frames['activities'].groupby('kind').size().sort_values()\n"
        "ax = per_kind.plot.barh(title='activities per kind'); plt.tight_layout(); per_kind"),
    nbf.v4.new_markdown_cell("## Mentions per category and document"),
    nbf.v4.new_code_cell(
        "cats = ['times', 'quantities', 'people', 'organizations', 'activities', 'placeholders']\n"
        "import pandas as pd\n"
        "pd.DataFrame({c: frames[c].groupby('doc_id').size() for c in cats}).fillna(0).astype(int)"),
    nbf.v4.new_markdown_cell("## Year over year: one issuer's plans\n`syextract.diff` aligns the plans by issuer "
                             "and their activities by meaning."),
    nbf.v4.new_code_cell(
        "from syextract import diff as sydiff\nfrom syextract.findings import load_input\n\n"
        "series = sorted(glob.glob(os.path.join(ROOT, 'corpus', 'series', 'docs', '*.txt')))\n"
        "plans = [p for p in series if 'summary' not in os.path.basename(p)]\n"
        "for old, new in zip(plans, plans[1:]):\n"
        "    print(sydiff.render_text(sydiff.diff_documents(load_input(old), load_input(new))))"),
    nbf.v4.new_code_cell(
        "summary = [p for p in series if 'summary' in os.path.basename(p)][0]\n"
        "print(sydiff.render_text(sydiff.plan_report_documents(load_input(plans[-1]), load_input(summary))))"),
]
nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"}})
out = os.path.join(HERE, "tour.ipynb")
if "--execute" in sys.argv:
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": HERE}}).execute()
nbf.write(nb, out)
print("wrote", out)
