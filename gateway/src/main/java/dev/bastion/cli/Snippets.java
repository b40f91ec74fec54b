package dev.bastion.cli;

/** The first request, as {@code bastion init} prints it: the key is read from {@code $BASTION_APP_KEY}. */
final class Snippets {
    private Snippets() {}

    static String curl(String base, String alias) {
        return """
                curl -s %s/v1/chat/completions -H "Authorization: Bearer $BASTION_APP_KEY" \\
                  -H 'Content-Type: application/json' \\
                  -d '{"model":"%s","messages":[{"role":"user","content":"Hello"}]}'""".formatted(base, alias);
    }

    static String python(String base, String alias) {
        return """
                import os
                from openai import OpenAI  # pip install openai
                client = OpenAI(base_url="%s/v1", api_key=os.environ["BASTION_APP_KEY"])
                answer = client.chat.completions.create(model="%s", messages=[{"role": "user", "content": "Hello"}])
                print(answer.choices[0].message.content)""".formatted(base, alias);
    }

    static String javascript(String base, String alias) {
        return """
                import OpenAI from "openai"; // npm install openai; save as hello.mjs, run: node hello.mjs
                const client = new OpenAI({ baseURL: "%s/v1", apiKey: process.env.BASTION_APP_KEY });
                const answer = await client.chat.completions.create({
                  model: "%s", messages: [{ role: "user", content: "Hello" }] });
                console.log(answer.choices[0].message.content);""".formatted(base, alias);
    }

    static String all(String base, String alias) {
        return "Then, from another shell (with BASTION_APP_KEY exported):\n\n# curl\n" + curl(base, alias)
                + "\n\n# Python\n" + python(base, alias) + "\n\n# JavaScript (Node 18+)\n" + javascript(base, alias) + "\n";
    }
}
