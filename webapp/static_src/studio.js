// Một Cửa studio: bpmn-js modeler with the Camunda 7 properties panel, and the form-js editor.
// The server keeps the draft; this page loads its files, lets the analyst edit them and saves them back.
import BpmnModeler from "bpmn-js/lib/Modeler";
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule,
} from "bpmn-js-properties-panel";
import CamundaBehaviorsModule from "camunda-bpmn-js-behaviors/lib/camunda-platform";
import camundaModdle from "camunda-bpmn-moddle/resources/camunda.json";
import { FormEditor } from "@bpmn-io/form-js";
import MotcuaPropertiesModule from "./studio_motcua.js";
import VietnameseModule from "./studio_vi.js";
import LintModule, { lintOptions, showOnCanvas } from "./studio_lint.js";
import { TemplateModules, keepTemplateForms, loadTemplates } from "./studio_templates.js";
import { FormVietnameseModule, translateFormEditor } from "./studio_form_vi.js";
import { layOut } from "./layout.js";
import "bpmn-js/dist/assets/diagram-js.css";
import "bpmn-js/dist/assets/bpmn-js.css";
import "bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css";
import "@bpmn-io/properties-panel/dist/assets/properties-panel.css";
import "@bpmn-io/form-js/dist/assets/form-js.css";
import "@bpmn-io/form-js/dist/assets/form-js-editor.css";

const root = document.querySelector("[data-studio]");
const state = { files: {}, bpmnName: null, formName: null, modeler: null, formEditor: null, steps: null,
                dirty: false, importing: false };

// edits not saved yet: leaving the page (a tab, a link, closing it) asks first, as the browser words it
function edited() {
  if (!state.importing) state.dirty = true;
}
window.addEventListener("beforeunload", (event) => {
  if (!state.dirty) return;
  event.preventDefault();
  event.returnValue = "";
});

async function loadFiles() {
  const response = await fetch(root.dataset.filesUrl);
  state.files = (await response.json()).files;
  state.bpmnName = Object.keys(state.files).find((n) => n.endsWith(".bpmn"));
}

async function openDiagram() {
  state.modeler = new BpmnModeler({
    container: "#studio-canvas",
    // the "Một Cửa" group (role, kind, unit, budget) opens first: it is what this engine reads from a step
    propertiesPanel: { parent: "#studio-properties", layout: { groups: { motcua: { open: true } } } },
    additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule,
      CamundaPlatformPropertiesProviderModule, CamundaBehaviorsModule, ...TemplateModules, MotcuaPropertiesModule,
      VietnameseModule, LintModule],
    linting: lintOptions,
    elementTemplates: state.steps.templates,
    moddleExtensions: { camunda: camundaModdle },
  });
  keepTemplateForms(state.modeler, state.steps.forms, state.files, addFormOption);
  try {
    const { xml, laidOut } = await layOut(state.files[state.bpmnName]);
    await state.modeler.importXML(xml);
    fitBesideThePalette(state.modeler.get("canvas"));
    if (laidOut) status(root.dataset.msgLaidOut, "warning");
  } catch (err) {
    // a diagram without its drawing (no bpmndi:BPMNDiagram) is still checked; say so in words, not bpmn-js's
    const noDrawing = /no diagram to display/i.test(err.message || "");
    status(noDrawing ? root.dataset.msgNoDrawing : root.dataset.msgImportFailed + " " + err.message,
           noDrawing ? "warning" : "danger");
  }
  window.motcuaModeler = state.modeler;
}

// the whole diagram in view, right of the palette rather than under it, at most at its natural size
function fitBesideThePalette(canvas) {
  const palette = document.querySelector("#studio-canvas .djs-palette");
  const pad = 16;
  const left = palette ? palette.offsetLeft + palette.offsetWidth + pad : pad;
  const { inner, outer } = canvas.viewbox();
  const width = outer.width - left - pad;
  const height = outer.height - 2 * pad;
  if (!inner.width || !inner.height || width <= 0 || height <= 0) return canvas.zoom("fit-viewport", "auto");
  const scale = Math.min(1, width / inner.width, height / inner.height);
  const x = inner.x - (left + (width - inner.width * scale) / 2) / scale;
  const y = inner.y - (pad + (height - inner.height * scale) / 2) / scale;
  canvas.viewbox({ x, y, width: outer.width / scale, height: outer.height / scale });
}

async function openForm(name) {
  await keepForm();
  state.formName = name;
  const schema = JSON.parse(state.files[name]);
  if (!state.formEditor) {
    const container = document.getElementById("studio-form-editor");
    translateFormEditor(container);
    state.formEditor = new FormEditor({ container, additionalModules: [FormVietnameseModule] });
    state.formEditor.on("changed", checkSoon);
    state.formEditor.on("changed", edited);
    window.motcuaFormEditor = state.formEditor;
  }
  state.importing = true;
  try {
    await state.formEditor.importSchema(schema);
  } finally {
    state.importing = false;
  }
}

async function keepForm() {
  if (state.formEditor && state.formName) {
    state.files[state.formName] = JSON.stringify(state.formEditor.saveSchema(), null, 2) + "\n";
  }
}

async function collect() {
  const changed = {};
  const { xml } = await state.modeler.saveXML({ format: true });
  changed[state.bpmnName] = xml;
  await keepForm();
  for (const name of Object.keys(state.files)) if (name.endsWith(".form")) changed[name] = state.files[name];
  const yaml = document.getElementById("studio-catalogue");
  if (yaml) changed["procedure.yaml"] = yaml.value;
  return changed;
}

function addFormOption(name) {
  const picker = document.getElementById("studio-form-picker");
  if ([...picker.options].some((o) => o.value === name)) return;
  picker.add(new Option(name, name));
  status(root.dataset.msgFormAdded.replace("{name}", name), "info");
}

// the check of what the canvas shows now, before it is saved (the same checks as saving and publishing)
let checkTimer = null;
let checkRun = 0;
async function checkCanvas() {
  if (!root.dataset.checkUrl) return;
  const run = ++checkRun;
  const files = await collect();
  const response = await fetch(root.dataset.checkUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
    body: JSON.stringify({ files }),
  });
  if (!response.ok || run !== checkRun) return;
  showProblems((await response.json()).problems);
  root.dataset.checked = String(run);
}

function checkSoon() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(checkCanvas, 800);
}

function status(text, kind) {
  const el = document.getElementById("studio-status");
  el.className = "alert alert-" + kind + " py-1 px-2 small mb-2";
  el.textContent = text;
  el.hidden = false;
}

// a problem names its step by the name the analyst gave it (the id when it has none, or is not on the canvas)
function elementName(id) {
  const element = state.modeler && state.modeler.get("elementRegistry").get(id);
  const name = element && element.businessObject.name;
  return name ? `${name} (${id})` : id;
}

function showProblems(problems) {
  const list = document.getElementById("studio-problems");
  list.replaceChildren();
  for (const p of problems) {
    const item = document.createElement("button");
    item.type = "button";
    item.className = "list-group-item list-group-item-action small";
    item.dataset.element = p.element || "";
    item.textContent = (p.element ? elementName(p.element) + ": " : "") + p.message + (p.file ? " (" + p.file + ")" : "");
    list.appendChild(item);
  }
  document.getElementById("studio-clean").hidden = problems.length > 0;
  showOnCanvas(state.modeler, problems);
}

function showNotes(notes) {
  const list = document.getElementById("studio-notes");
  if (!list || !notes) return;
  list.replaceChildren();
  for (const n of notes) {
    const item = document.createElement("li");
    item.className = "mb-1";
    item.dataset.element = n.element || "";
    item.textContent = (n.element ? n.element + ": " : "") + n.message;
    list.appendChild(item);
  }
  document.getElementById("studio-notes-box").hidden = notes.length === 0;
}

async function save() {
  const files = await collect();
  const response = await fetch(root.dataset.saveUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
    body: JSON.stringify({ files }),
  });
  const body = await response.json();
  if (!response.ok) {
    status(body.error ? body.error.message : response.statusText, "danger");
    return false;
  }
  Object.assign(state.files, files);
  state.dirty = false;
  const savedAt = document.getElementById("studio-saved-at");
  if (savedAt) savedAt.textContent = savedAt.dataset.msgJustSaved.replace("{at}",
    new Date().toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" }));
  showProblems(body.problems);
  showNotes(body.notes);
  status(root.dataset.msgSaved, "success");
  return true;
}

function selectElement(id) {
  const registry = state.modeler.get("elementRegistry");
  const element = registry.get(id);
  if (!element) return;
  document.getElementById("tab-diagram").click();
  state.modeler.get("selection").select(element);
  state.modeler.get("canvas").scrollToElement(element);
}

async function start() {
  await loadFiles();
  state.steps = await loadTemplates(root.dataset.templatesUrl);
  await openDiagram();
  if (root.dataset.checkUrl) {  // the server's check, drawn on the canvas from the start
    const checked = await fetch(root.dataset.checkUrl);
    if (checked.ok) showProblems((await checked.json()).problems);
  }
  const picker = document.getElementById("studio-form-picker");
  picker.addEventListener("change", () => openForm(picker.value));
  if (picker.value) await openForm(picker.value);
  document.getElementById("studio-save").addEventListener("click", save);
  document.getElementById("studio-check").addEventListener("click", checkCanvas);
  state.modeler.on("commandStack.changed", checkSoon);
  state.modeler.on("commandStack.changed", edited);
  const yaml = document.getElementById("studio-catalogue");  // the raw procedure.yaml: guarded and checked the same
  if (yaml) {
    yaml.addEventListener("input", checkSoon);
    yaml.addEventListener("input", edited);
  }
  document.getElementById("studio-problems").addEventListener("click", (event) => {
    const item = event.target.closest("[data-element]");
    if (item && item.dataset.element) selectElement(item.dataset.element);
  });
  root.dataset.ready = "1";
}

if (root) start();
