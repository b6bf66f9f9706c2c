// Một Cửa: the dossier page's diagram (bpmn-js NavigatedViewer), steps done and the current step marked.
import NavigatedViewer from "bpmn-js/lib/NavigatedViewer";
import { layOut } from "./layout.js";
import "bpmn-js/dist/assets/diagram-js.css";
import "bpmn-js/dist/assets/bpmn-js.css";

async function show(el) {
  const xml = document.getElementById(el.dataset.xml).value;
  const viewer = new NavigatedViewer({ container: el });
  try {
    await viewer.importXML((await layOut(xml)).xml);
  } catch (err) {
    el.textContent = el.dataset.error || String(err);
    return;
  }
  const canvas = viewer.get("canvas");
  const registry = viewer.get("elementRegistry");
  const mark = (ids, marker) => (ids || []).forEach((id) => registry.get(id) && canvas.addMarker(id, marker));
  mark(JSON.parse(el.dataset.done || "[]"), "motcua-done");
  mark(JSON.parse(el.dataset.current || "[]"), "motcua-current");
  canvas.zoom("fit-viewport");
  el.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("[data-bpmn-viewer]").forEach(show));
