package dev.bastion.api;

/**
 * The work of one route of Bastion's own API, run as the last step of its chain (authenticated, authorized and, when
 * audited, recorded before this runs). Say no by throwing a {@code ProblemException}; anything else thrown answers
 * 500 without details.
 */
@FunctionalInterface
public interface AdminHandler {
    Reply handle(AdminCall call);
}
