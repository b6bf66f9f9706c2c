// The "Một Cửa" group of the properties panel: what this engine reads from a step, chosen from lists instead
// of typed (kind, role, unit, budget), and the Camunda 7 groups this engine does not use hidden.
// A step's kind, unit and budget are camunda:property entries; its role is camunda:candidateGroups (DESIGN.md).
import { NumberFieldEntry, SelectEntry, isNumberFieldEntryEdited, isSelectEntryEdited } from "@bpmn-io/properties-panel";
import { h } from "@bpmn-io/properties-panel/preact";
import { useService } from "bpmn-js-properties-panel";
import { is } from "bpmn-js/lib/util/ModelUtil";

// Camunda 7 engine features this engine does not run: hidden rather than shown and then ignored.
const HIDDEN = new Set([
  "CamundaPlatform__AsynchronousContinuations", "CamundaPlatform__JobExecution",
  "CamundaPlatform__ExecutionListener", "CamundaPlatform__TaskListener", "CamundaPlatform__HistoryCleanup",
  "CamundaPlatform__Tasklist", "CamundaPlatform__CandidateStarter", "CamundaPlatform__ExternalTask",
  "CamundaPlatform__FieldInjection", "CamundaPlatform__ConnectorInput", "CamundaPlatform__ConnectorOutput",
  "CamundaPlatform__Input", "CamundaPlatform__Output", "CamundaPlatform__BusinessKey",
  "CamundaPlatform__InMapping", "CamundaPlatform__OutMapping", "CamundaPlatform__InMappingPropagation",
  "CamundaPlatform__OutMappingPropagation",
]);

const KINDS = [
  ["", "(không có: bước thường)"], ["intake", "Tiếp nhận"], ["appraisal", "Thẩm định"], ["approval", "Phê duyệt"],
  ["return", "Trả kết quả"], ["consult", "Lấy ý kiến cơ quan khác"], ["supplement", "Chờ công dân bổ sung"],
  ["payment", "Thu phí, lệ phí"],
];

function pageList(name) {
  const root = document.querySelector("[data-studio]");
  try {
    return JSON.parse((root && root.dataset[name]) || "[]");
  } catch (_err) {
    return [];
  }
}

function propertiesOf(bo) {
  const ext = bo.get("extensionElements");
  return ext ? ext.get("values").find((v) => is(v, "camunda:Properties")) : undefined;
}

export function propertyValue(element, name) {
  const props = propertiesOf(element.businessObject);
  const prop = props && props.get("values").find((p) => p.name === name);
  return prop ? prop.value || "" : "";
}

function update(element, moddleElement, properties) {
  return { cmd: "element.updateModdleProperties", context: { element, moddleElement, properties } };
}

export function setPropertyValue(element, name, value, bpmnFactory, commandStack) {
  const bo = element.businessObject;
  const commands = [];
  let ext = bo.get("extensionElements");
  if (!ext) {
    if (!value) return;
    ext = bpmnFactory.create("bpmn:ExtensionElements", { values: [] });
    ext.$parent = bo;
    commands.push(update(element, bo, { extensionElements: ext }));
  }
  let props = propertiesOf(bo);
  if (!props) {
    if (!value) return;
    props = bpmnFactory.create("camunda:Properties", { values: [] });
    props.$parent = ext;
    commands.push(update(element, ext, { values: [...ext.get("values"), props] }));
  }
  const prop = props.get("values").find((p) => p.name === name);
  if (!value) {
    if (prop) commands.push(update(element, props, { values: props.get("values").filter((p) => p !== prop) }));
  } else if (prop) {
    commands.push(update(element, prop, { value }));
  } else {
    const added = bpmnFactory.create("camunda:Property", { name, value });
    added.$parent = props;
    commands.push(update(element, props, { values: [...props.get("values"), added] }));
  }
  if (commands.length) commandStack.execute("properties-panel.multi-command-executor", commands);
}

// A budget in working days and hours, stored as an ISO 8601 duration: P2D, PT4H, P1DT4H.
export function parseBudget(text) {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(text || "");
  return match ? { days: Number(match[1] || 0), hours: Number(match[2] || 0) } : { days: 0, hours: 0 };
}

export function budgetText(days, hours) {
  const d = Math.max(0, Math.floor(Number(days) || 0));
  const hh = Math.max(0, Math.floor(Number(hours) || 0));
  if (!d && !hh) return "";
  return "P" + (d ? d + "D" : "") + (hh ? "T" + hh + "H" : "");
}

function withCurrent(options, current) {
  return current && !options.some((o) => o.value === current) ? [...options, { value: current, label: current }] : options;
}

function PropertySelect({ element, id, name, label, options }) {
  const bpmnFactory = useService("bpmnFactory");
  const commandStack = useService("commandStack");
  return h(SelectEntry, {
    element, id, label,
    getValue: () => propertyValue(element, name),
    setValue: (value) => setPropertyValue(element, name, value, bpmnFactory, commandStack),
    getOptions: () => withCurrent(options, propertyValue(element, name)),
  });
}

function KindEntry({ element, id }) {
  return PropertySelect({ element, id, name: "kind", label: "Loại bước (ý nghĩa pháp lý)",
    options: KINDS.map(([value, label]) => ({ value, label })) });
}

function UnitEntry({ element, id }) {
  const units = pageList("units").map((u) => ({ value: u.code, label: `${u.name} (${u.code})` }));
  return PropertySelect({ element, id, name: "unit", label: "Đơn vị thực hiện",
    options: [{ value: "", label: "Đơn vị tiếp nhận hồ sơ" }, { value: "parent", label: "Đơn vị cấp trên" }, ...units] });
}

function RoleEntry({ element, id }) {
  const modeling = useService("modeling");
  const roles = pageList("roles").map((r) => ({ value: r.code, label: `${r.label} (${r.code})` }));
  const current = () => element.businessObject.get("camunda:candidateGroups") || "";
  return h(SelectEntry, {
    element, id, label: "Vai trò xử lý",
    getValue: current,
    setValue: (value) => modeling.updateProperties(element, { "camunda:candidateGroups": value || undefined }),
    getOptions: () => withCurrent([{ value: "", label: "(chưa chọn)" }, ...roles], current()),
  });
}

function BudgetEntry({ element, id, part }) {
  const bpmnFactory = useService("bpmnFactory");
  const commandStack = useService("commandStack");
  const debounce = useService("debounceInput");
  const label = part === "days" ? "Thời hạn: số ngày làm việc" : "Thời hạn: số giờ làm việc";
  return h(NumberFieldEntry, {
    element, id, label, min: 0, step: 1, debounce,
    getValue: () => parseBudget(propertyValue(element, "budget"))[part],
    setValue: (value) => {
      const budget = { ...parseBudget(propertyValue(element, "budget")), [part]: value };
      setPropertyValue(element, "budget", budgetText(budget.days, budget.hours), bpmnFactory, commandStack);
    },
  });
}

function motcuaGroup(element) {
  const entries = [
    { id: "motcua-role", element, component: RoleEntry, isEdited: isSelectEntryEdited },
    { id: "motcua-kind", element, component: KindEntry, isEdited: isSelectEntryEdited },
    { id: "motcua-unit", element, component: UnitEntry, isEdited: isSelectEntryEdited },
    { id: "motcua-budget-days", element, component: (p) => BudgetEntry({ ...p, part: "days" }), isEdited: isNumberFieldEntryEdited },
    { id: "motcua-budget-hours", element, component: (p) => BudgetEntry({ ...p, part: "hours" }), isEdited: isNumberFieldEntryEdited },
  ];
  return { id: "motcua", label: "Một Cửa", entries };
}

class MotcuaPropertiesProvider {
  constructor(propertiesPanel) {
    // after the element templates' provider (300), which keeps only a templated step's own groups
    propertiesPanel.registerProvider(200, this);
  }

  getGroups(element) {
    return (groups) => {
      const shown = groups.filter((g) => !HIDDEN.has(g.id));
      if (is(element, "bpmn:UserTask") || is(element, "bpmn:ManualTask")) shown.splice(1, 0, motcuaGroup(element));
      return shown;
    };
  }
}

MotcuaPropertiesProvider.$inject = ["propertiesPanel"];

export default {
  __init__: ["motcuaPropertiesProvider"],
  motcuaPropertiesProvider: ["type", MotcuaPropertiesProvider],
};
