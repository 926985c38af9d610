import { api, type Schemas } from "./api";

type Item = Schemas["ItemRead"];
type ItemCreate = Schemas["ItemCreate"];
type ValidationError = Schemas["ValidationError"];

// Number of items the list shows. GET /items accepts a limit from 1 to 100.
const LIST_LIMIT = 20;

/** Returns the element of index.html with this id. Throws if it is missing or of another type. */
function requireElement<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) {
    throw new Error(`index.html has no ${type.name} with id "${id}"`);
  }
  return element;
}

const form = requireElement("create-item", HTMLFormElement);
const nameInput = requireElement("item-name", HTMLInputElement);
const descriptionInput = requireElement("item-description", HTMLTextAreaElement);
const createButton = requireElement("create-button", HTMLButtonElement);
const statusElement = requireElement("status", HTMLParagraphElement);
const itemList = requireElement("items", HTMLUListElement);

function showStatus(message: string, isError = false): void {
  statusElement.textContent = message;
  statusElement.classList.toggle("error", isError);
}

function isValidationError(value: unknown): value is ValidationError {
  return (
    typeof value === "object" &&
    value !== null &&
    "msg" in value &&
    typeof value.msg === "string" &&
    "loc" in value &&
    Array.isArray(value.loc)
  );
}

/**
 * Formats an error response for the status line. FastAPI sends `detail` as a
 * string for HTTPException and as a list of validation errors for 422.
 * Responses without either, such as a proxy's 502, show the HTTP status.
 */
function describeError(response: Response, error: unknown): string {
  const detail =
    typeof error === "object" && error !== null && "detail" in error ? error.detail : undefined;
  if (typeof detail === "string") {
    return detail;
  }
  if (Array.isArray(detail) && detail.every(isValidationError)) {
    // The first loc entry is the part of the request, such as "body" or "query", so it is left out.
    return detail.map((entry) => `${entry.loc.slice(1).join(".")}: ${entry.msg}`).join("; ");
  }
  return `HTTP ${response.status} ${response.statusText}`.trim();
}

/** Returns the message of an error that fetch threw, for example when the network is down. */
function describeFetchFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function renderItem(item: Item): HTMLLIElement {
  const entry = document.createElement("li");
  entry.dataset.itemId = String(item.id);

  const name = document.createElement("strong");
  name.textContent = item.name;
  entry.append(name);

  if (item.description) {
    const description = document.createElement("p");
    description.textContent = item.description;
    entry.append(description);
  }

  const meta = document.createElement("div");
  meta.className = "item-meta";
  meta.textContent = `#${item.id}, created ${new Date(item.created_at).toLocaleString()}`;
  entry.append(meta);
  return entry;
}

/** Replaces the list with the newest items, in the order the backend returns them. */
async function loadItems(): Promise<void> {
  itemList.setAttribute("aria-busy", "true");
  try {
    const { data, error, response } = await api.GET("/items", {
      params: { query: { limit: LIST_LIMIT } },
    });
    if (error !== undefined) {
      showStatus(`Could not load items: ${describeError(response, error)}`, true);
      return;
    }
    if (data.length === 0) {
      const empty = document.createElement("li");
      empty.textContent = "No items yet.";
      itemList.replaceChildren(empty);
    } else {
      itemList.replaceChildren(...data.map(renderItem));
    }
  } catch (error) {
    showStatus(`Could not reach the API: ${describeFetchFailure(error)}`, true);
  } finally {
    itemList.setAttribute("aria-busy", "false");
  }
}

/** Sends the form to POST /items and reloads the list when the item is created. */
async function submitItem(): Promise<void> {
  const description = descriptionInput.value.trim();
  const body: ItemCreate = {
    name: nameInput.value.trim(),
    description: description === "" ? null : description,
  };

  createButton.disabled = true;
  showStatus("Creating item...");
  try {
    const { data, error, response } = await api.POST("/items", { body });
    if (error !== undefined) {
      showStatus(`Could not create the item: ${describeError(response, error)}`, true);
      return;
    }
    form.reset();
    showStatus(`Created item #${data.id}.`);
    await loadItems();
  } catch (error) {
    showStatus(`Could not reach the API: ${describeFetchFailure(error)}`, true);
  } finally {
    createButton.disabled = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void submitItem();
});

void loadItems();
