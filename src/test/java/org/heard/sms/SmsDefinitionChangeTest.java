package org.heard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.heard.i18n.Messages;
import org.heard.privacy.Pseudonyms;
import org.heard.survey.Question;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.heard.survey.SurveyLoader;
import org.junit.jupiter.api.Test;

/** An SMS conversation carries on when the survey's definition changes under it, the question it was at included. */
class SmsDefinitionChangeTest {
  @Test
  void aConversationAtARemovedQuestionMovesToTheNextOneLeft() throws Exception {
    SurveyCatalog catalog = SurveyLoader.load(Path.of("surveys"));
    SmsDialogue dialogue = new SmsDialogue(catalog, new Messages(), new Pseudonyms("a".repeat(64)), Duration.ofHours(1));
    String phone = "+447700900123";
    Instant now = Instant.parse("2026-06-01T10:00:00Z");
    SmsDialogue.Outcome started = dialogue.handle(NumberState.fresh("key"), phone, "PULSE", now);
    SurveyDefinition pulse = catalog.require("sms-pulse");
    assertEquals(pulse.questions().get(0).id(), started.state().conversation().questionId());
    SmsDialogue.Outcome second = dialogue.handle(started.state(), phone, "4", now.plusSeconds(30));
    String atQuestion = second.state().conversation().questionId();
    assertEquals(pulse.questions().get(1).id(), atQuestion);

    // The definition in force drops the question the conversation is at.
    List<Question> kept = new ArrayList<>(pulse.questions());
    kept.removeIf(q -> q.id().equals(atQuestion));
    SurveyDefinition changed = new SurveyDefinition(pulse.id(), pulse.version() + 1, pulse.title(), pulse.description(),
        pulse.monitoringIntro(), pulse.languages(), pulse.opens(), pulse.closes(), pulse.channels(), kept,
        pulse.sourceFile(), pulse.retentionDays());
    List<SurveyDefinition> all = new ArrayList<>(catalog.all());
    all.replaceAll(s -> s.id().equals("sms-pulse") ? changed : s);
    catalog.replace(all);

    // sms-pulse asks feel_safe_now, ward, main_worry, contact_ok: the conversation was at ward, now
    // gone. The reply meant for it is not filed under main_worry: main_worry is asked instead.
    assertEquals("ward", atQuestion);
    SmsDialogue.Outcome moved = dialogue.handle(second.state(), phone, "B", now.plusSeconds(60));
    assertEquals("main_worry", moved.state().conversation().questionId());
    assertEquals(List.of("feel_safe_now"), List.copyOf(moved.state().conversation().answers().keySet()));
    assertEquals(1, moved.reply().size());
    SmsDialogue.Outcome carriedOn = dialogue.handle(moved.state(), phone, "Better street lights", now.plusSeconds(90));
    assertEquals("Better street lights", carriedOn.state().conversation().answers().get("main_worry"));
    assertEquals("contact_ok", carriedOn.state().conversation().questionId());
  }
}
