package org.heard.web;

import java.time.Duration;
import org.heard.paper.EntryPages;
import org.heard.sms.SmsWebhook;
import org.heard.staff.ResponsePages;
import org.heard.staff.StaffPages;
import org.heard.webform.PostRateLimiter;
import org.heard.webform.WebFormHandlers;

/** What the HTTP layer needs, built once by the composition root and shared by every instance. */
public record WebServices(
    String host,
    int port,
    boolean https,
    Duration shutdownGrace,
    HealthHandlers health,
    SurveyApi surveyApi,
    ResponseApi responseApi,
    WebFormHandlers webForms,
    PostRateLimiter webPostLimiter,
    SmsWebhook smsWebhook,
    StaffGate staffGate,
    StaffPages staffPages,
    EntryPages entryPages,
    ResponsePages responsePages,
    StaffApi staffApi,
    ThemeApi themeApi,
    DigestApi digestApi,
    org.heard.staff.DigestPages digestPages,
    org.heard.staff.ActionPages actionPages,
    String uploadsDirectory,
    io.micrometer.prometheusmetrics.PrometheusMeterRegistry metrics) {
}
