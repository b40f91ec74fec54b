package dev.bastion.console;

/**
 * The static part of each console page: headings, forms with labels, empty tables with captions. Page scripts fill
 * them from Bastion's API, so a page shows exactly what the API lets its viewer read.
 */
final class PageBodies {
    private PageBodies() {}

    static String home() {
        return """
                <h2>Models you may use</h2>
                <table id="catalog"><caption>Model aliases served to you (<code>/v1/models</code>)</caption>
                <thead><tr><th scope="col">Alias</th><th scope="col">Owned by</th></tr></thead><tbody></tbody></table>""";
    }

    static String dashboard() {
        return """
                <h1>Dashboards</h1>
                <form id="window-form" class="inline"><label for="window">Window</label>
                <select id="window" name="window"><option value="15m">last 15 minutes</option>
                <option value="1h" selected>last hour</option><option value="6h">last 6 hours</option>
                <option value="24h">last 24 hours</option></select>
                <button type="submit">Show</button></form>
                <p id="dash-status" role="status" aria-live="polite"></p>
                <div class="plots">
                <figure id="plot-requests"><figcaption>Requests per minute, by outcome</figcaption></figure>
                <figure id="plot-refusals"><figcaption>Refusals per minute, by reason</figcaption></figure>
                <figure id="plot-findings"><figcaption>Findings per minute, by type</figcaption></figure>
                <figure id="plot-tokens"><figcaption>Tokens per minute, by key</figcaption></figure>
                <figure id="plot-teams"><figcaption>Tokens per minute, by team</figcaption></figure>
                <figure id="plot-latency"><figcaption>Latency percentiles (ms)</figcaption></figure>
                <figure id="plot-backends"><figcaption>Backend errors per minute (5xx, timeouts, unreachable)</figcaption></figure>
                </div>
                <h2>Budgets and backend state</h2>
                <p id="budgets">Token budgets and backend health checks come from the routing API when it is present.</p>""";
    }

    /** @param subjectPurposes purposes under which the viewer may search by subject id; empty: no such fields */
    static String audit(java.util.List<String> subjectPurposes) {
        StringBuilder bySubject = new StringBuilder();
        if (!subjectPurposes.isEmpty()) {
            bySubject.append("<div><label for=\"f-subject-id\">Data subject id (sent in the body only)</label>")
                    .append("<input id=\"f-subject-id\" name=\"subject_id\" maxlength=\"128\" autocomplete=\"off\"></div>")
                    .append("<div><label for=\"f-purpose\">Purpose of the search</label><select id=\"f-purpose\" name=\"purpose\">");
            for (String p : subjectPurposes) bySubject.append("<option>").append(Html.esc(p)).append("</option>");
            bySubject.append("</select></div>");
        }
        return """
                <h1>Audit log</h1>
                <section aria-labelledby="cp-h"><h2 id="cp-h">Latest checkpoint</h2>
                <dl id="checkpoint" class="facts"></dl>
                <p id="consistency" role="status" aria-live="polite"></p></section>
                <section aria-labelledby="search-h"><h2 id="search-h">Search</h2>
                <form id="search" class="filters">
                <div><label for="f-principal">Principal</label><input id="f-principal" name="principal" autocomplete="off"></div>
                <div><label for="f-action">Action</label><input id="f-action" name="action" autocomplete="off"></div>
                <div><label for="f-model">Model</label><input id="f-model" name="model" autocomplete="off"></div>
                <div><label for="f-decision">Decision</label><select id="f-decision" name="decision">
                <option value="">any</option><option value="permit">permit</option><option value="deny">deny / refused</option></select></div>
                <div><label for="f-finding">Finding type</label><input id="f-finding" name="finding" autocomplete="off" placeholder="EMAIL_ADDRESS"></div>
                <div><label for="f-kind">Kind</label><select id="f-kind" name="kind"><option value="">any</option>
                <option value="request">request</option><option value="complete">complete</option><option value="refused">refused</option>
                <option value="admin">admin</option><option value="model">model</option></select></div>
                <div><label for="f-from">From</label><input id="f-from" name="from" type="datetime-local"></div>
                <div><label for="f-to">To</label><input id="f-to" name="to" type="datetime-local"></div>
                %s<div class="buttons"><button type="submit">Search</button><button type="reset">Clear</button></div>
                </form>
                <p id="search-status" role="status" aria-live="polite"></p>
                <table id="entries"><caption>Entries, newest first</caption>
                <thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Kind</th><th scope="col">Principal</th>
                <th scope="col">Action</th><th scope="col">Model</th><th scope="col">Decision</th><th scope="col">Findings</th></tr></thead>
                <tbody></tbody></table>
                <button type="button" id="older" hidden>Older entries</button></section>""".formatted(bySubject);
    }

    static String entry(String index) {
        return """
                <p><a href="/console/audit">← Audit log</a></p>
                <h1>Audit entry %s</h1>
                <dl id="entry-fields" class="facts"></dl>
                <section aria-labelledby="verify-h"><h2 id="verify-h">Verification in this browser</h2>
                <p>Checks, with this browser's own cryptography (WebCrypto): the checkpoint's Ed25519 signature with the
                verifier key <code id="verifier-key"></code> (<span id="verifier-source"></span>), the entry's inclusion in
                that checkpoint's tree, and that the tree extends the last checkpoint this browser saw.</p>
                <div class="buttons"><button type="button" id="verify">Verify</button></div>
                <p id="verdict" role="status" aria-live="polite" class="verdict"></p>
                <ol id="verify-steps"></ol></section>
                <h2>Entry as logged (canonical JSON)</h2><pre id="entry-json" tabindex="0"></pre>""".formatted(Html.esc(index));
    }

    static String policy() {
        return """
                <h1>Policy</h1>
                <section aria-labelledby="force-h"><h2 id="force-h">In force</h2><dl id="policy-info" class="facts"></dl>
                <table id="policy-history"><caption>History (versions shared by every replica; rejected reloads on this server)</caption>
                <thead><tr><th scope="col">Version</th><th scope="col">Time</th><th scope="col">How</th><th scope="col">Author</th><th scope="col">Digest</th><th scope="col">Rules</th><th scope="col">Action</th></tr></thead>
                <tbody></tbody></table></section>
                <section aria-labelledby="edit-h"><h2 id="edit-h">Editor</h2>
                <form id="editor"><label for="policy-text">Policy (YAML)</label>
                <textarea id="policy-text" name="policy" rows="22" spellcheck="false" autocapitalize="off"></textarea>
                <div class="buttons"><button type="button" id="load-force">Load the policy in force</button>
                <button type="button" id="load-file">Load the file on disk</button>
                <button type="submit" id="check">Check</button>
                <button type="button" id="diff-test">Diff and test</button></div></form>
                <p id="check-status" role="status" aria-live="polite"></p>
                <ul id="policy-errors" class="errors"></ul>
                <h3>Diff against the policy in force</h3><pre id="diff" tabindex="0"></pre>
                <table id="cases"><caption>Test cases</caption><thead><tr><th scope="col">Line</th><th scope="col">Case</th>
                <th scope="col">Result</th><th scope="col">Detail</th></tr></thead><tbody></tbody></table>
                <div class="buttons"><button type="button" id="reload" disabled>Reload the policy file</button>
                <button type="button" id="apply" disabled>Apply as the next version</button></div>
                <p id="reload-status" role="status" aria-live="polite"></p></section>
                <section aria-labelledby="sim-h"><h2 id="sim-h">Simulator</h2>
                <form id="simulate" class="filters">
                <div><label for="s-id">Principal id</label><input id="s-id" name="id" value="oidc:idp#someone"></div>
                <div><label for="s-roles">Roles (comma-separated)</label><input id="s-roles" name="roles" value="developer"></div>
                <div><label for="s-type">Principal type</label><select id="s-type" name="type"><option>user</option><option>service</option></select></div>
                <div><label for="s-action">Action</label><input id="s-action" name="action" value="model.invoke"></div>
                <div><label for="s-resource">Resource (kind:name)</label><input id="s-resource" name="resource" value="model:chat"></div>
                <div><label for="s-maxclass">Backend max classification</label><select id="s-maxclass" name="max_classification">
                <option value="">(none)</option><option>public</option><option>internal</option><option selected>confidential</option><option>restricted</option></select></div>
                <div><label for="s-purpose">Purpose</label><input id="s-purpose" name="purpose"></div>
                <div><label for="s-class">Classification</label><select id="s-class" name="classification"><option value="">(default)</option>
                <option>public</option><option>internal</option><option>confidential</option><option>restricted</option></select></div>
                <div><label for="s-findings">Findings (TYPE=count, comma-separated)</label><input id="s-findings" name="findings" placeholder="EMAIL_ADDRESS=1"></div>
                <div class="buttons"><button type="submit">Simulate</button></div></form>
                <div id="sim-result" aria-live="polite"></div></section>""";
    }

    static String keys() {
        return """
                <h1>API keys</h1>
                <section aria-labelledby="new-h"><h2 id="new-h">Create a key</h2>
                <form id="create-key" class="filters">
                <div><label for="k-name">Name</label><input id="k-name" name="name" required maxlength="64"></div>
                <div><label for="k-roles">Roles (comma-separated)</label><input id="k-roles" name="roles" value="developer"></div>
                <div><label for="k-models">Models (comma-separated, empty: any)</label><input id="k-models" name="models"></div>
                <div><label for="k-days">Expires after (days, empty: never)</label><input id="k-days" name="days" type="number" min="1" max="3650"></div>
                <div class="buttons"><button type="submit">Create</button></div></form>
                <div id="new-key" class="secret" hidden role="alert"><p>The new key, <strong>shown only this once</strong>:
                store it now.</p><p><code id="new-key-value"></code> <button type="button" id="copy-key">Copy</button>
                <button type="button" id="hide-key">I have stored it</button></p></div>
                <p id="key-status" role="status" aria-live="polite"></p></section>
                <section aria-labelledby="list-h"><h2 id="list-h">Keys</h2>
                <table id="keys"><caption>Keys (secrets are never shown again)</caption><thead><tr><th scope="col">Id</th>
                <th scope="col">Name</th><th scope="col">Roles</th><th scope="col">Models</th><th scope="col">Created</th>
                <th scope="col">Expires</th><th scope="col">State</th><th scope="col"><span class="sr">Actions</span></th></tr></thead>
                <tbody></tbody></table></section>""";
    }

    static String collections() {
        return """
                <h1>Collections</h1>
                <p>Document collections for retrieval. Who may retrieve from one is the policy's <code>documents.retrieve</code>
                and the collection's own rule; this page shows settings and document metadata, never document text.</p>
                <section aria-labelledby="new-c-h"><h2 id="new-c-h">Create a collection</h2>
                <form id="create-collection" class="filters">
                <div><label for="c-name">Name</label><input id="c-name" name="name" required maxlength="63" pattern="[a-z0-9][a-z0-9._\\-]{0,62}"></div>
                <div><label for="c-class">Classification</label><input id="c-class" name="classification" value="internal" required></div>
                <div><label for="c-roles">Roles that may retrieve (comma-separated, empty: any)</label><input id="c-roles" name="roles"></div>
                <div><label for="c-purposes">Purposes (comma-separated, empty: any)</label><input id="c-purposes" name="purposes"></div>
                <div><label for="c-pd">Personal data</label><select id="c-pd" name="personal_data">
                <option value="pseudonymise" selected>pseudonymise</option><option value="store">store as is</option>
                <option value="refuse">refuse</option></select></div>
                <div><label for="c-days">Retention (days, 0: until deleted)</label><input id="c-days" name="retention_days" type="number" min="0" max="36500" value="0"></div>
                <div class="buttons"><button type="submit">Create</button></div></form>
                <p id="collections-status" role="status" aria-live="polite"></p></section>
                <section aria-labelledby="list-c-h"><h2 id="list-c-h">Collections</h2>
                <table id="collections"><caption>Collections</caption><thead><tr><th scope="col">Name</th>
                <th scope="col">Classification</th><th scope="col">Who may retrieve</th><th scope="col">Personal data</th>
                <th scope="col">Retention</th><th scope="col">Owner</th><th scope="col"><span class="sr">Actions</span></th></tr></thead>
                <tbody></tbody></table></section>
                <section id="documents-section" aria-labelledby="docs-h" hidden><h2 id="docs-h">Documents</h2>
                <form id="upload" class="filters">
                <div><label for="d-files">Files (txt, md, html, pdf)</label><input id="d-files" name="files" type="file" multiple required
                accept=".txt,.md,.markdown,.html,.htm,.pdf"></div>
                <div><label for="d-class">Classification (empty: the collection's)</label><input id="d-class" name="classification"></div>
                <div><label for="d-roles">Document ACL roles (comma-separated, empty: none)</label><input id="d-roles" name="roles"></div>
                <div class="buttons"><button type="submit">Upload</button></div>
                <progress id="upload-progress" max="1" value="0" hidden></progress></form>
                <p id="documents-status" role="status" aria-live="polite"></p>
                <table id="documents"><caption>Documents (metadata only)</caption><thead><tr><th scope="col">Id</th>
                <th scope="col">Source</th><th scope="col">Classification</th><th scope="col">Pages</th><th scope="col">Chunks</th>
                <th scope="col">Findings</th><th scope="col">Personal data</th><th scope="col">Digest</th>
                <th scope="col"><span class="sr">Actions</span></th></tr></thead><tbody></tbody></table></section>""";
    }

    static String models() {
        return """
                <h1>Models</h1>
                <table id="registry"><caption>The model registry: only approved and deployed entries route</caption>
                <thead><tr><th scope="col">Entry</th><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">State</th>
                <th scope="col">Risk</th><th scope="col">Artifact</th></tr></thead><tbody></tbody></table>
                <p id="models-status" role="status" aria-live="polite"></p>""";
    }

    static String model(String id) {
        return """
                <p><a href="/console/models">← Models</a></p>
                <h1>Model <span id="model-name">%s</span></h1>
                <dl id="model-facts" class="facts"></dl>
                <section aria-labelledby="approve-h"><h2 id="approve-h">Approvals</h2>
                <p id="approval-rule"></p>
                <table id="approvals"><caption>Approvals of the current card</caption><thead><tr><th scope="col">Approver</th>
                <th scope="col">When</th><th scope="col">Card digest</th><th scope="col">Override</th></tr></thead><tbody></tbody></table>
                <form id="approve-form" class="filters"><div><label for="override">Override reason (only when gates fail)</label>
                <input id="override" name="override_reason" maxlength="500"></div>
                <div class="buttons"><button type="submit" id="approve">Approve this card</button></div></form>
                <form id="revoke-form" class="filters"><div><label for="revoke-reason">Revocation reason</label>
                <input id="revoke-reason" name="reason" maxlength="500"></div>
                <div class="buttons"><button type="submit" id="revoke" class="danger">Revoke</button></div></form>
                <p id="model-status" role="status" aria-live="polite"></p></section>
                <section aria-labelledby="card-h"><h2 id="card-h">Card</h2><div id="card"></div></section>
                <section aria-labelledby="eval-h"><h2 id="eval-h">Evaluations</h2><div id="evaluations"></div></section>
                <section aria-labelledby="hist-h"><h2 id="hist-h">History</h2><ol id="history"></ol></section>""".formatted(Html.esc(id));
    }

    /** @param manage whether the viewer may change consents (else the page only looks up) */
    static String consents(java.util.Collection<String> purposes, boolean manage) {
        return """
                <h1>Consents</h1>
                <p>Subject ids travel only in request bodies: they never appear in an address, a log or an audit record.</p>
                <section aria-labelledby="lookup-h"><h2 id="lookup-h">Look up a subject</h2>
                <form id="lookup" class="filters">
                <div><label for="c-subject">Subject id</label><input id="c-subject" name="subject" required maxlength="128"
                autocomplete="off"></div>
                <div class="buttons"><button type="submit">Look up</button></div></form>
                <p id="lookup-status" role="status" aria-live="polite"></p>
                <table id="consents"><caption>The subject's consent records, one per purpose</caption>
                <thead><tr><th scope="col">Purpose</th><th scope="col">State</th><th scope="col">Basis</th>
                <th scope="col">Evidence</th><th scope="col">Expires</th><th scope="col">Changed</th><th scope="col">By</th>
                <th scope="col"><span class="sr">Actions</span></th></tr></thead><tbody></tbody></table></section>
                %s""".formatted(manage ? change(purposes) : "<p id=\"read-only\">You may look consents up; changing them"
                + " needs <code>consent.manage</code>.</p>");
    }

    private static String change(java.util.Collection<String> purposes) {
        StringBuilder options = new StringBuilder();
        for (String p : purposes.stream().sorted().toList()) {
            options.append("<option>").append(Html.esc(p)).append("</option>");
        }
        String bases = "<option>consent</option><option>contract</option><option>legal-obligation</option>"
                + "<option>vital-interest</option><option>public-task</option><option>legitimate-interest</option>";
        return """
                <section aria-labelledby="grant-h"><h2 id="grant-h">Grant or withdraw</h2>
                <form id="change" class="filters">
                <div><label for="g-purpose">Purpose</label><select id="g-purpose" name="purpose">%s</select></div>
                <div><label for="g-basis">Lawful basis (GDPR Art. 6(1))</label><select id="g-basis" name="basis">%s</select></div>
                <div><label for="g-evidence">Evidence reference</label><input id="g-evidence" name="evidence" maxlength="256" autocomplete="off"></div>
                <div><label for="g-expires">Expires (empty: never)</label><input id="g-expires" name="expires" type="datetime-local"></div>
                <div class="buttons"><button type="submit" id="grant" value="granted">Grant</button>
                <button type="submit" id="withdraw" value="withdrawn" class="danger">Withdraw</button></div></form>
                <p id="change-status" role="status" aria-live="polite"></p></section>""".formatted(options, bases);
    }

    static String subjects() {
        return """
                <h1>Data subjects</h1>
                <p>Access and erasure requests are answered under the purpose <code>data-subject-request</code>; the subject
                id goes in the request body only.</p>
                <section aria-labelledby="dsr-h"><h2 id="dsr-h">Answer a request</h2>
                <form id="dsr" class="filters">
                <div><label for="d-subject">Subject id</label><input id="d-subject" name="subject" required maxlength="128"
                autocomplete="off"></div>
                <div class="buttons"><button type="submit" id="export">Export (right of access)</button>
                <button type="button" id="erase" class="danger">Erase…</button></div></form>
                <div id="erase-confirm" class="secret" hidden role="alertdialog" aria-labelledby="erase-q">
                <p id="erase-q">Erase everything Bastion holds under subject <strong id="erase-subject"></strong>? The subject's
                key is destroyed: this cannot be undone.</p>
                <div class="buttons"><button type="button" id="erase-yes" class="danger">Erase for good</button>
                <button type="button" id="erase-no">Cancel</button></div></div>
                <p id="dsr-status" role="status" aria-live="polite"></p>
                <p id="export-link" hidden><a id="export-download" download="subject-export.json">Download the signed
                bundle</a> (verify it offline with <code>bastion subjects verify</code>)</p></section>
                <section aria-labelledby="log-h"><h2 id="log-h">Request log</h2>
                <table id="requests"><caption>Data-subject requests, newest first (subjects by token)</caption>
                <thead><tr><th scope="col">Id</th><th scope="col">Kind</th><th scope="col">Subject token</th>
                <th scope="col">Requested</th><th scope="col">By</th><th scope="col">Outcome</th><th scope="col">Audit entry</th></tr></thead>
                <tbody></tbody></table>
                <button type="button" id="older-requests" hidden>Older requests</button></section>""";
    }
}
