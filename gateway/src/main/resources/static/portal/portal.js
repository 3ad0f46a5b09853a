// The Cirrus portal: a static page that signs in with a service principal at the gateway's own token endpoint and
// then calls ARM and /cirrus/** with that bearer token (kept in this page only). gateway/README.md lists the APIs.
"use strict";

const state = { token: null, tenant: null, view: "fabric", groups: new Set(), stream: null, refreshTimer: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.substring(2), v); else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c.nodeType ? c : String(c));
  return node;
}

function status(message, error) {
  const s = $("status");
  s.textContent = message;
  s.className = error ? "error" : "";
}

async function api(method, path, body) {
  const headers = { Authorization: "Bearer " + state.token };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!response.ok) {
    const err = json && json.error ? json.error : { code: String(response.status), message: text };
    throw new Error(err.code + ": " + err.message);
  }
  return json;
}

// ---- sign in -------------------------------------------------------------------------------------------------

async function signIn(event) {
  event.preventDefault();
  $("sign-in-error").textContent = "";
  const tenant = $("tenant").value.trim();
  const form = new URLSearchParams({
    grant_type: "client_credentials", client_id: $("client-id").value.trim(),
    client_secret: $("client-secret").value, scope: "https://management.azure.com/.default" });
  try {
    const response = await fetch("/" + encodeURIComponent(tenant) + "/oauth2/v2.0/token", {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form });
    const json = await response.json();
    if (!response.ok) throw new Error(json.error_description || json.error || response.status);
    state.token = json.access_token;
    state.tenant = tenant;
  } catch (e) {
    $("sign-in-error").textContent = "Sign-in failed: " + e.message;
    return;
  }
  $("client-secret").value = "";
  $("sign-in").hidden = true;
  $("app").hidden = false;
  $("sign-out").hidden = false;
  $("who").textContent = "Signed in as " + $("client-id").value.trim() + " (tenant " + tenant + ")";
  show("fabric");
  startStream();
  loadSubscriptions();
}

function signOut() {
  state.token = null;
  if (state.stream) state.stream.abort();
  $("app").hidden = true;
  $("sign-out").hidden = true;
  $("sign-in").hidden = false;
  $("who").textContent = "";
  $("tenant").focus();
}

// ---- views ---------------------------------------------------------------------------------------------------

function show(view) {
  state.view = view;
  for (const tab of document.querySelectorAll(".tab")) {
    if (tab.dataset.view === view) tab.setAttribute("aria-current", "page"); else tab.removeAttribute("aria-current");
  }
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== "view-" + view;
  if (view === "fabric") loadFabric();
  if (view === "faults") loadFaults();
}

// ---- fabric --------------------------------------------------------------------------------------------------

function resourceLabel(resourceId) {
  const parts = resourceId.split("/");
  const i = parts.findIndex((p) => p.toLowerCase() === "providers");
  const tail = i < 0 ? parts : parts.slice(i + 2);
  const kinds = { virtualmachines: "VM", virtualmachinescalesets: "scale set", containergroups: "container group",
    serverfarms: "plan", pools: "Batch pool", managedclusters: "AKS" };
  if (tail.length >= 4 && tail[0].toLowerCase() === "virtualmachinescalesets") {
    return "scale set " + tail[1] + " instance " + tail[3];
  }
  return (kinds[(tail[0] || "").toLowerCase()] || tail[0]) + " " + (tail[1] || resourceId) +
      (tail.length > 2 ? "/" + tail.slice(2).join("/") : "");
}

async function loadFabric() {
  try {
    const hosts = (await api("GET", "/cirrus/placement/hosts")).value;
    const racks = new Map();
    for (const h of hosts) {
      const key = h.region + "/" + h.cluster + "/" + h.rack;
      if (!racks.has(key)) racks.set(key, { region: h.region, cluster: h.cluster, rack: h.rack, faultDomain: h.faultDomain, hosts: [] });
      racks.get(key).hosts.push(h);
    }
    const allocations = new Map();
    await Promise.all([...racks.values()].filter((r) => r.hosts.some((h) => h.allocations > 0)).map(async (r) => {
      const list = (await api("GET", "/cirrus/placement/allocations?cluster=" + encodeURIComponent(r.cluster) +
          "&rack=" + encodeURIComponent(r.rack))).value;
      for (const a of list) {
        if (!allocations.has(a.host)) allocations.set(a.host, []);
        allocations.get(a.host).push(a);
        if (a.groupId) state.groups.add(a.groupId);
      }
    }));
    renderFabric(racks, allocations);
    renderKnownGroups();
  } catch (e) {
    status("The fabric could not be read: " + e.message, true);
  }
}

function renderFabric(racks, allocations) {
  const root = el("div");
  const regions = new Map();
  for (const r of racks.values()) {
    if (!regions.has(r.region)) regions.set(r.region, new Map());
    const clusters = regions.get(r.region);
    if (!clusters.has(r.cluster)) clusters.set(r.cluster, []);
    clusters.get(r.cluster).push(r);
  }
  for (const [region, clusters] of [...regions.entries()].sort()) {
    const section = el("section", { class: "region", "aria-label": "Region " + region }, el("h3", { text: "Region " + region }));
    for (const [cluster, rackList] of [...clusters.entries()].sort()) {
      const box = el("section", { class: "cluster", "aria-label": "Cluster " + cluster }, el("h4", { text: "Cluster " + cluster }));
      const row = el("div", { class: "racks" });
      for (const r of rackList.sort((a, b) => a.faultDomain - b.faultDomain)) row.append(renderRack(r, allocations));
      box.append(row);
      section.append(box);
    }
    root.append(section);
  }
  $("fabric").replaceChildren(root);
}

function renderRack(r, allocations) {
  const failed = r.hosts.every((h) => h.state === "Failed");
  const rack = el("section", { class: "rack" + (failed ? " failed" : ""), "data-rack": r.rack, "data-cluster": r.cluster,
    "aria-label": "Rack " + r.rack },
    el("h5", { text: "Rack " + r.rack + " (fault domain " + r.faultDomain + ")" + (failed ? ": failed" : "") }),
    el("div", { class: "actions" },
      ...["fail", "recover", "drain"].map((verb) => el("button", {
        type: "button", class: verb === "fail" ? "danger" : "secondary", "data-action": verb + "-rack",
        "aria-label": verb[0].toUpperCase() + verb.substring(1) + " rack " + r.rack,
        onclick: () => confirmThen(verb[0].toUpperCase() + verb.substring(1) + " every host of rack " + r.rack +
            " in cluster " + r.cluster + "?", () => operate("/cirrus/placement/clusters/" + encodeURIComponent(r.cluster) +
            "/racks/" + encodeURIComponent(r.rack) + "/" + verb, verb + " rack " + r.rack)),
        text: verb })) ));
  for (const h of r.hosts.sort((a, b) => a.name.localeCompare(b.name))) {
    const vms = (allocations.get(h.name) || []).sort((a, b) => a.resourceId.localeCompare(b.resourceId));
    rack.append(el("div", { class: "host", "data-host": h.name },
      el("h6", {}, "Host " + h.name + " ", el("span", { class: "state-" + h.state, text: h.state })),
      el("div", { class: "muted", text: "vCPU " + h.usedVcpus + "/" + h.vcpus + ", memory " + h.usedMemoryMib + "/" +
          h.memoryMib + " MiB, " + h.allocations + " allocations" }),
      el("div", { class: "actions" }, ...["fail", "recover", "drain"].map((verb) => el("button", {
        type: "button", class: "secondary", "data-action": verb + "-host",
        "aria-label": verb[0].toUpperCase() + verb.substring(1) + " host " + h.name,
        onclick: () => confirmThen(verb[0].toUpperCase() + verb.substring(1) + " host " + h.name + "?",
            () => operate("/cirrus/placement/hosts/" + encodeURIComponent(h.name) + "/" + verb, verb + " host " + h.name)),
        text: verb }))),
      vms.length === 0 ? null : el("ul", { class: "vms", "aria-label": "Running on " + h.name },
        ...vms.map((a) => el("li", { "data-vm-id": a.vmId, "data-resource-id": a.resourceId, "data-host": h.name },
          resourceLabel(a.resourceId) + " (" + a.size + ", update domain " + a.updateDomain + ")")))));
  }
  return rack;
}

function confirmThen(message, action) {
  const dialog = $("confirm");
  $("confirm-text").textContent = message;
  dialog.returnValue = "";
  dialog.addEventListener("close", () => { if (dialog.returnValue === "ok") action(); }, { once: true });
  dialog.showModal();
  $("confirm-cancel").focus();
}

async function operate(path, what) {
  status("Working: " + what + " …");
  try {
    const result = await api("POST", path);
    const moved = (result.moves || []).filter((m) => !m.stranded).length;
    const stranded = (result.moves || []).filter((m) => m.stranded).length;
    status("Done: " + what + " (" + (result.hosts || []).length + " hosts, " + moved + " moved, " + stranded + " stranded).");
  } catch (e) {
    status("Failed: " + what + ": " + e.message, true);
  }
  loadFabric();
}

async function startMaintenance(event) {
  event.preventDefault();
  const body = { region: $("maintenance-region").value.trim(), cluster: $("maintenance-cluster").value.trim() };
  if ($("maintenance-pause").value.trim()) body.pause = $("maintenance-pause").value.trim();
  confirmThen("Start a planned maintenance of cluster " + body.cluster + " in " + body.region + "?", async () => {
    try {
      const m = await api("POST", "/cirrus/placement/maintenances", body);
      status("Maintenance " + m.id + " started: " + m.waves + " waves, state " + m.state + ".");
    } catch (e) {
      status("The maintenance did not start: " + e.message, true);
    }
  });
}

// ---- spread --------------------------------------------------------------------------------------------------

function renderKnownGroups() {
  $("known-groups").replaceChildren(...[...state.groups].sort().map((g) => el("option", { value: g })));
}

async function loadSpread(event) {
  event.preventDefault();
  const group = $("spread-group").value.trim();
  try {
    const list = (await api("GET", "/cirrus/placement/allocations?group=" + encodeURIComponent(group))).value;
    const fds = [...new Set(list.map((a) => a.faultDomain))].sort((a, b) => a - b);
    const uds = [...new Set(list.map((a) => a.updateDomain))].sort((a, b) => a - b);
    const table = el("table", { id: "spread-grid" },
      el("caption", { text: list.length + " members of " + group + ": fault domains (rows) by update domains (columns)" }),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Fault domain" }),
        ...uds.map((u) => el("th", { scope: "col", text: "UD " + u })))),
      el("tbody", {}, ...fds.map((f) => el("tr", {}, el("th", { scope: "row", text: "FD " + f }),
        ...uds.map((u) => el("td", { "data-fd": f, "data-ud": u }, ...list.filter((a) => a.faultDomain === f && a.updateDomain === u)
          .map((a) => el("div", { "data-vm-id": a.vmId, text: resourceLabel(a.resourceId) + " on " + a.host }))))))));
    $("spread").replaceChildren(list.length ? table : el("p", { text: "No member of " + group + " is placed." }));
  } catch (e) {
    status("The spread could not be read: " + e.message, true);
  }
}

// ---- events (Server-Sent Events over fetch, so the bearer token stays in a header) ---------------------------

function startStream() {
  if (state.stream) state.stream.abort();
  const controller = new AbortController();
  state.stream = controller;
  const q = new URLSearchParams();
  if ($("events-topic").value) q.set("topic", $("events-topic").value);
  if ($("events-type").value.trim()) q.set("type", $("events-type").value.trim());
  if ($("events-resource").value.trim()) q.set("resource", $("events-resource").value.trim());
  $("events-table").tBodies[0].replaceChildren();
  readStream("/cirrus/events/stream?" + q, controller.signal);
}

async function readStream(path, signal) {
  try {
    const response = await fetch(path, { headers: { Authorization: "Bearer " + state.token, Accept: "text/event-stream" }, signal });
    if (!response.ok) { $("events-state").textContent = "The event stream was refused (" + response.status + ")."; return; }
    $("events-state").textContent = "Live.";
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const block = buffered.substring(0, end);
        buffered = buffered.substring(end + 2);
        const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.substring(5)).join("\n");
        if (data) onEvent(JSON.parse(data));
      }
    }
    $("events-state").textContent = "The event stream ended.";
  } catch (e) {
    if (!signal.aborted) $("events-state").textContent = "The event stream failed: " + e.message;
  }
}

function onEvent(e) {
  const body = $("events-table").tBodies[0];
  body.prepend(el("tr", {}, el("td", { text: e.time || "" }), el("td", { text: e.topic }), el("td", { text: e.type || "" }),
    el("td", { text: e.subject || "" })));
  while (body.rows.length > 200) body.deleteRow(body.rows.length - 1);
  if (state.view === "fabric" && (e.topic === "cirrus.placement" || e.topic === "cirrus.compute.vm" ||
      e.topic === "cirrus.compute.container")) {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(loadFabric, 250);
  }
}

// ---- costs ---------------------------------------------------------------------------------------------------

async function loadSubscriptions() {
  try {
    const subs = (await api("GET", "/subscriptions?api-version=2022-12-01")).value;
    $("costs-subscription").replaceChildren(...subs.map((s) => el("option", { value: s.subscriptionId,
      text: s.displayName + " (" + s.subscriptionId + ")" })));
  } catch (e) {
    status("Subscriptions could not be listed: " + e.message, true);
  }
}

function costTable(caption, result) {
  const cols = result.properties.columns.map((c) => c.name);
  const rows = result.properties.rows;
  const costAt = cols.findIndex((c) => c.toLowerCase().includes("cost"));
  const max = Math.max(0.000001, ...rows.map((r) => r[costAt]));
  return el("table", {}, el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...cols.map((c) => el("th", { scope: "col", text: c })), el("th", { scope: "col", text: "share" }))),
    el("tbody", {}, ...(rows.length ? rows.map((r) => el("tr", {}, ...r.map((v) => el("td", { text: v })),
      el("td", {}, el("span", { class: "bar", style: "width:" + Math.round(150 * r[costAt] / max) + "px",
        role: "img", "aria-label": Math.round(100 * r[costAt] / max) + " % of the largest" }))))
      : [el("tr", {}, el("td", { colspan: cols.length + 1, text: "No cost yet." }))])));
}

async function loadCosts(event) {
  event.preventDefault();
  const sub = $("costs-subscription").value;
  const today = new Date().toISOString().substring(0, 10);
  const query = (dimension) => ({ type: "ActualCost", timeframe: "Custom",
    timePeriod: { from: today + "T00:00:00Z", to: today + "T23:59:59Z" }, dataset: { granularity: "None",
      aggregation: { totalCost: { name: "Cost", function: "Sum" } }, grouping: [{ type: "Dimension", name: dimension }] } });
  try {
    const base = "/subscriptions/" + encodeURIComponent(sub) + "/providers/";
    const [families, groups, budgets] = await Promise.all([
      api("POST", base + "Microsoft.CostManagement/query?api-version=2023-11-01", query("MeterCategory")),
      api("POST", base + "Microsoft.CostManagement/query?api-version=2023-11-01", query("ResourceGroupName")),
      api("GET", base + "Microsoft.Consumption/budgets?api-version=2023-11-01")]);
    const budgetList = el("ul", {}, ...(budgets.value.length ? budgets.value.map((b) => {
      const spent = (b.properties.currentSpend || { amount: 0 }).amount;
      return el("li", {}, el("label", { for: "budget-" + b.name, text: b.name + ": " + spent + " of " + b.properties.amount + " USD" }),
        el("progress", { id: "budget-" + b.name, max: b.properties.amount, value: spent }));
    }) : [el("li", { text: "No budgets." })]));
    $("costs").replaceChildren(costTable("Today's cost by family (meter category)", families),
      costTable("Today's cost by resource group", groups), el("h3", { text: "Budgets" }), budgetList);
  } catch (e) {
    status("Costs could not be read: " + e.message, true);
  }
}

async function compare(event) {
  event.preventDefault();
  const sub = $("costs-subscription").value;
  const body = { requestsPerDay: +$("cmp-requests").value, averageDurationMs: +$("cmp-duration").value,
    memoryMb: +$("cmp-memory-mb").value, vcpus: +$("cmp-vcpus").value, memoryGb: +$("cmp-memory-gb").value,
    location: $("cmp-location").value.trim() };
  try {
    const result = await api("POST", "/subscriptions/" + encodeURIComponent(sub) +
        "/providers/Microsoft.CostManagement/workloadCostComparison?api-version=2023-11-01", body);
    const options = result.options || result.value || (result.properties && result.properties.options) || [];
    const max = Math.max(0.000001, ...options.map((o) => o.monthlyCost));
    $("comparison").replaceChildren(el("table", {}, el("caption", { text: "Monthly cost of the workload" }),
      el("thead", {}, el("tr", {}, ...["Option", "SKU", "Monthly cost (USD)", "Fits", "Chart"].map((c) => el("th", { scope: "col", text: c })))),
      el("tbody", {}, ...options.map((o) => el("tr", {}, el("td", { text: o.option }), el("td", { text: o.sku }),
        el("td", { text: o.monthlyCost }), el("td", { text: o.fits ? "yes" : "no" }),
        el("td", {}, el("span", { class: "bar", style: "width:" + Math.round(200 * o.monthlyCost / max) + "px",
          role: "img", "aria-label": o.option + " " + o.monthlyCost + " USD" })))))));
  } catch (e) {
    status("The comparison failed: " + e.message, true);
  }
}

// ---- faults --------------------------------------------------------------------------------------------------

async function loadFaults() {
  try {
    const rules = (await api("GET", "/cirrus/faults")).value;
    $("faults-table").tBodies[0].replaceChildren(...rules.map((r) => el("tr", {}, el("td", { text: r.id }),
      el("td", { text: r.kind + (r.kind === "error" ? " " + r.error.status + " " + r.error.code : "") +
          (r.kind === "latency" ? " " + r.latency : "") + (r.kind === "regionOutage" ? " " + r.region : "") }),
      el("td", { text: [r.service, r.resourceType, r.operation].filter(Boolean).join(" ") + " p=" + r.probability }),
      el("td", { text: r.expiresAt }),
      el("td", {}, el("button", { type: "button", class: "secondary", "aria-label": "Delete rule " + r.id,
        onclick: () => confirmThen("Delete fault rule " + r.id + "?", async () => {
          try { await api("DELETE", "/cirrus/faults/" + r.id); status("Rule " + r.id + " deleted."); }
          catch (e) { status("The rule was not deleted: " + e.message, true); }
          loadFaults(); }), text: "delete" })))));
  } catch (e) {
    status("Fault rules could not be read: " + e.message, true);
  }
}

async function addFault(event) {
  event.preventDefault();
  const kind = $("fault-kind").value;
  const rule = { kind, duration: $("fault-duration").value.trim() };
  const opt = (id, key) => { const v = $(id).value.trim(); if (v) rule[key] = v; };
  if (kind === "regionOutage") opt("fault-region", "region");
  else {
    opt("fault-service", "service"); opt("fault-type", "resourceType"); opt("fault-operation", "operation");
    rule.probability = Number($("fault-probability").value.trim());
    if (kind === "error") rule.error = { status: Number($("fault-status").value), code: $("fault-code").value.trim() };
    if (kind === "latency") rule.latency = $("fault-latency").value.trim();
  }
  confirmThen("Add a " + kind + " fault rule for " + rule.duration + "?", async () => {
    try { const r = await api("POST", "/cirrus/faults", rule); status("Rule " + r.id + " added."); }
    catch (e) { status("The rule was refused: " + e.message, true); }
    loadFaults();
  });
}

// ---- wiring --------------------------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  $("sign-in-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => show(tab.dataset.view));
  $("fabric-refresh").addEventListener("click", loadFabric);
  $("maintenance-form").addEventListener("submit", startMaintenance);
  $("spread-form").addEventListener("submit", loadSpread);
  $("events-form").addEventListener("submit", (e) => { e.preventDefault(); startStream(); });
  $("costs-form").addEventListener("submit", loadCosts);
  $("comparison-form").addEventListener("submit", compare);
  $("fault-form").addEventListener("submit", addFault);
});
