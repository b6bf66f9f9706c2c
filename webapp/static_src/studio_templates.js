// Mẫu bước chuẩn: the standard steps (tiếp nhận, thẩm định, phê duyệt, trả kết quả, lấy ý kiến, thu phí) as
// element templates (bpmn-js-element-templates, Camunda 7 schema; the server's engine/catalogue/step_templates.py).
// They are offered in the replace menu (the wrench of the context pad) and by the properties panel's
// "Mẫu bước" group; applying one sets the step's role, form, kind and budget. A template's form is added to
// the draft when the draft has none of that name, so the applied step passes the check.
import { ElementTemplatesPropertiesProviderModule } from "bpmn-js-element-templates";
import { is } from "bpmn-js/lib/util/ModelUtil";
import "bpmn-js-element-templates/dist/assets/element-templates.css";

const MENU = "motcua-step-templates";

// the form a template names (its camunda:formRef), as a file name
export function templateForm(template) {
  const ref = (template.properties || []).find((p) => p.binding && p.binding.name === "camunda:formRef");
  return ref ? ref.value + ".form" : null;
}

// a step bpmn-js just named (Activity_0wp49k5) gets a name a reader recognises in the diff: Task_Payment, Task_Payment_2
const GENERATED_ID = /^Activity_[0-9a-z]{7}$/;

function readableId(template, registry) {
  const word = template.id.replace(/^motcua\./, "");
  const base = "Task_" + word.charAt(0).toUpperCase() + word.slice(1);
  let id = base;
  for (let n = 2; registry.get(id); n += 1) id = base + "_" + n;
  return id;
}

class StepTemplatesMenu {
  constructor(popupMenu, elementTemplates, eventBus, canvas, translate, elementRegistry, modeling) {
    this._templates = elementTemplates;
    this._translate = translate;
    this._registry = elementRegistry;
    this._modeling = modeling;
    popupMenu.registerProvider(MENU, this);
    popupMenu.registerProvider("bpmn-replace", this);
    // the properties panel's "select a template" button opens the same list beside the element
    eventBus.on("elementTemplates.select", ({ element }) => {
      const box = canvas.getGraphics(element).getBoundingClientRect();
      popupMenu.open(element, MENU, { x: box.left, y: box.bottom + 4 },
                     { title: translate("Chọn mẫu bước chuẩn"), search: true, width: 320 });
    });
  }

  getPopupMenuEntries(element) {
    if (!is(element, "bpmn:Task")) return {};
    const entries = {};
    for (const template of this._templates.getLatest(element)) {
      entries["motcua-template-" + template.id] = {
        label: this._translate("Mẫu: {name}", { name: template.name }),
        description: template.description,
        className: "bpmn-icon-user-task",
        group: { id: "motcua-templates", name: this._translate("Mẫu bước chuẩn") },
        action: () => this._apply(element, template),
      };
    }
    return entries;
  }

  _apply(element, template) {
    const applied = this._templates.applyTemplate(element, template) || element;
    if (GENERATED_ID.test(applied.id)) {
      this._modeling.updateProperties(applied, { id: readableId(template, this._registry) });
    }
    return applied;
  }
}

StepTemplatesMenu.$inject = ["popupMenu", "elementTemplates", "eventBus", "canvas", "translate", "elementRegistry",
                             "modeling"];

const MenuModule = { __init__: ["motcuaStepTemplatesMenu"], motcuaStepTemplatesMenu: ["type", StepTemplatesMenu] };

export const TemplateModules = [ElementTemplatesPropertiesProviderModule, MenuModule];

// the templates and their forms, from the server
export async function loadTemplates(url) {
  if (!url) return { templates: [], forms: {} };
  const response = await fetch(url);
  return response.ok ? response.json() : { templates: [], forms: {} };
}

// after a template is applied: add its form to the draft when the draft has none of that name
export function keepTemplateForms(modeler, forms, files, added) {
  modeler.get("eventBus").on("elementTemplates.apply", ({ newTemplate }) => {
    const name = newTemplate && templateForm(newTemplate);
    if (name && !files[name] && forms[name]) {
      files[name] = forms[name];
      added(name);
    }
  });
  modeler.get("eventBus").on("elementTemplates.errors", ({ errors }) => {
    console.warn("element templates", errors);  // eslint-disable-line no-console
  });
}
