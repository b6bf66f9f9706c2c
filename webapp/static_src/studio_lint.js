// Problems on the canvas: bpmn-js-bpmnlint draws bpmnlint's reports on the elements, and our only rule
// ("motcua/kiem-tra", a bpmnlint plugin resolved here, not from npm) reports what the server's check found
// (engine.catalogue.studio.check_draft, the same code as `motcua procedures check` and publishing), so the
// canvas, the list beside it and the CLI always say the same thing. Every problem is shown at once.
import LintModule from "bpmn-js-bpmnlint";
import "bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css";

const RULE = "motcua/kiem-tra";
const byElement = new Map();

function serverCheck() {
  return {
    check(node, reporter) {
      for (const message of byElement.get(node.id) || []) reporter.report(node.id, message);
    },
  };
}

export const lintConfig = {
  config: { rules: { [RULE]: "error" } },
  resolver: {
    resolveRule(pkg, ruleName) {
      return pkg === "bpmnlint-plugin-motcua" && ruleName === "kiem-tra" ? serverCheck : null;
    },
    resolveConfig() {
      return null;
    },
  },
};

export const lintOptions = { bpmnlint: lintConfig, active: true };

// the server's problems (as /studio/<code>/check returns them) drawn on the elements they name
export function showOnCanvas(modeler, problems) {
  byElement.clear();
  for (const p of problems || []) {
    if (!p.element) continue;
    if (!byElement.has(p.element)) byElement.set(p.element, []);
    byElement.get(p.element).push(p.message);
  }
  if (!modeler) return;
  const linting = modeler.get("linting");
  if (!linting.isActive()) linting.toggle(true);
  else linting.update();
}

export default LintModule;
