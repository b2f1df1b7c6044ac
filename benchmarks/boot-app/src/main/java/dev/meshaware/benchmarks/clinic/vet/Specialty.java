package dev.meshaware.benchmarks.clinic.vet;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** What a vet is qualified in (radiology, surgery, ...). */
@Entity
public class Specialty {
  @Id private Integer id;
  private String name;

  public Integer getId() {
    return id;
  }

  public String getName() {
    return name;
  }
}
