package org.heard.http;

import java.util.List;
import org.heard.auth.Role;

/** A section of the staff site in the navigation, and the roles that see it (administrators see all). */
public record StaffSection(String href, String label, String description, List<Role> roles) {
  public StaffSection {
    roles = List.copyOf(roles);
  }
}
