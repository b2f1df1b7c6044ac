package dev.meshaware.benchmarks.clinic.owner;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A pet, of one owner and one type, with its visits. */
@Entity
public class Pet {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Integer id;

  @NotBlank private String name;

  @NotNull @PastOrPresent private LocalDate birthDate;

  @ManyToOne(fetch = FetchType.LAZY)
  private PetType type;

  @ManyToOne(fetch = FetchType.LAZY)
  private Owner owner;

  @OneToMany(mappedBy = "pet")
  @OrderBy("visitDate desc")
  private List<Visit> visits = new ArrayList<>();

  public Integer getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public LocalDate getBirthDate() {
    return birthDate;
  }

  public PetType getType() {
    return type;
  }

  public Owner getOwner() {
    return owner;
  }

  public List<Visit> getVisits() {
    return visits;
  }
}
