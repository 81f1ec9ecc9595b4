// A minimal user agent for the authorization step: fetch with a cookie jar, the login form and
// the consent form, following redirects only within the server and stopping at the client's
// redirect URI (whose URL, with the authorization response, is what the client reads).

const FIELD = /<input\b[^>]*>/g;

function unescapeHtml(value) {
  return value
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

function attribute(tag, name) {
  const match = tag.match(new RegExp(`\\b${name}="([^"]*)"`));
  return match ? unescapeHtml(match[1]) : undefined;
}

/** The hidden fields of the page's form, as a browser would submit them. */
function hiddenFields(html) {
  const fields = new URLSearchParams();
  for (const [tag] of html.matchAll(FIELD)) {
    if (attribute(tag, "type") === "hidden" && attribute(tag, "name")) {
      fields.append(attribute(tag, "name"), attribute(tag, "value") ?? "");
    }
  }
  return fields;
}

export class UserAgent {
  constructor(origin) {
    this.origin = origin;
    this.cookies = new Map();
  }

  async request(url, init = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) {
      headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const index = pair.indexOf("=");
      this.cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
    return response;
  }

  async post(url, form) {
    return this.request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", referer: url, origin: this.origin },
      body: form,
    });
  }

  /**
   * Open `url` and follow the server's redirects, signing in and answering the consent page on
   * the way (`consent`: "allow" or "deny"). Returns the first URL outside the server: the
   * client's redirect URI with the authorization response.
   */
  async authorize(url, { email, password, consent = "allow" }) {
    let location = new URL(url);
    for (let step = 0; step < 10; step++) {
      if (location.origin !== this.origin) return location;
      const response = await this.request(location);
      if (response.status >= 300 && response.status < 400) {
        location = new URL(response.headers.get("location"), location);
        continue;
      }
      const html = await response.text();
      if (response.status !== 200) throw new Error(`${location} answered ${response.status}: ${html}`);
      const form = hiddenFields(html);
      if (location.pathname.startsWith("/accounts/login/")) {
        form.set("username", email);
        form.set("password", password);
      } else if (consent === "allow") {
        form.set("allow", "Authorize");
      } else {
        form.set("cancel", "Cancel");
      }
      const answer = await this.post(location, form);
      if (answer.status < 300 || answer.status >= 400) {
        throw new Error(`${location} answered the form with ${answer.status}: ${await answer.text()}`);
      }
      location = new URL(answer.headers.get("location"), location);
    }
    throw new Error(`too many redirects from ${url}`);
  }
}
