package dev.bastion.inspect;

import java.util.List;

/** PROMPT_INJECTION (placeholder until the scorer lands). */
public final class PromptInjectionDetector implements Detector {
    private static final PromptInjectionDetector STANDARD = new PromptInjectionDetector();

    public static PromptInjectionDetector standard() { return STANDARD; }

    @Override
    public String name() { return "prompt_injection"; }

    @Override
    public void detect(Text text, List<Finding> out) { }
}
