// A page of something still going on (a run that is running) reloads itself every few seconds.
document.addEventListener("DOMContentLoaded", () => {
  const seconds = Number(document.body.dataset.refresh);
  const live = document.querySelector("[data-live]");
  if (seconds > 0 && !live) window.setTimeout(() => window.location.reload(), seconds * 1000);
});

// The YAML of a version, fetched when its section is first opened (it costs more to write than the rest of the page).
document.addEventListener("DOMContentLoaded", () => {
  for (const section of document.querySelectorAll("details.yaml[data-source]")) {
    section.addEventListener("toggle", async () => {
      const target = section.querySelector("pre");
      if (!section.open || target.dataset.loaded) return;
      target.dataset.loaded = "true";
      const answer = await fetch(section.dataset.source, { credentials: "same-origin" });
      target.textContent = answer.ok ? await answer.text() : `The YAML could not be loaded (${answer.status}).`;
    });
  }
});

// Live progress for a composition: its events as they come, then the page again (which leads to the draft).
// Everything works without this script: the page then reloads itself every few seconds.
document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("events");
  if (!list || list.dataset.live !== "true" || !window.EventSource) return;
  const source = new EventSource(list.dataset.source);
  const describe = (data) => {
    const tokens = data.tokens || data.completionTokens;
    const details = [`round ${data.round}`];
    if (tokens) details.push(`${tokens} tokens`);
    if (data.tokensPerSecond) details.push(`${data.tokensPerSecond.toFixed(1)} tokens/s`);
    const round = data.round ? ` (${details.join(", ")})` : "";
    return `${data.event}${round}${data.outcome ? `: ${data.outcome}` : ""}${data.state ? `: ${data.state}` : ""}`;
  };
  const seen = list.children.length;
  let index = 0;
  const onEvent = (message) => {
    index += 1;
    if (index <= seen) return;
    const data = JSON.parse(message.data);
    // A streamed answer's count replaces the one before it, as on the server.
    const last = list.lastElementChild;
    const item = data.event === "receiving" && last && last.textContent.startsWith("receiving") ? last : document.createElement("li");
    item.textContent = describe(data);
    if (item !== last) list.appendChild(item);
  };
  for (const name of ["asking", "receiving", "answered", "finished"]) source.addEventListener(name, onEvent);
  source.addEventListener("done", () => { source.close(); window.location.reload(); });
  source.onerror = () => { source.close(); window.setTimeout(() => window.location.reload(), 3000); };
});
